from evaluation.criteria.engine import evaluate
from evaluation.criteria.rules import Outcome
from evaluation.criteria.thresholds import DEFAULTS


def outcome(data: dict, code: str, thresholds: dict | None = None) -> Outcome:
    """The result of one rule (signal or warning check) on an assessment input."""
    evaluation = evaluate(data, thresholds or DEFAULTS)
    for criterion in evaluation.criteria:
        for signal in criterion.signals:
            if signal.code == code:
                return signal
    return next(check for check in evaluation.checks if check.code == code)


def status(data: dict, code: str, thresholds: dict | None = None) -> str:
    return str(outcome(data, code, thresholds).status)
