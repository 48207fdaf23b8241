"""Forms of the criteria page: a decision about a warning, and a reviewer's verdict."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from config.forms import scale_question
from config.wording import in_sentence
from evaluation.models import FindingStatus

RATING_CHOICES = [
    (5, _("5 – Fully meets the criterion")),
    (4, _("4 – Largely meets it")),
    (3, _("3 – Partly meets it")),
    (2, _("2 – Barely meets it")),
    (1, _("1 – Does not meet it")),
]


class FindingDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=[
            (FindingStatus.ACKNOWLEDGED, _("Acknowledge: we know and accept it for now")),
            (FindingStatus.DISMISSED, _("Dismiss: it does not apply to this mission")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to acknowledge or dismiss the warning.")},
    )
    reason = forms.CharField(
        label=_("Why"),
        help_text=_("Others will see your reason next to the warning."),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why, so others can follow the decision.")},
    )


class VerdictForm(forms.Form):
    rating = scale_question(
        _("Your rating"), RATING_CHOICES, required=_("Choose a rating from 1 to 5.")
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        help_text=_("What convinced you, and what would raise the rating."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Explain your rating, so the team knows what to improve.")},
    )


class ReadinessForm(forms.Form):
    """The four readiness questions: a score from 0 to 2 and a short note each."""

    def __init__(self, *args, **kwargs):
        from evaluation.readiness import NOTE_LIMIT, QUESTIONS, SCORES

        super().__init__(*args, **kwargs)
        for number, question in enumerate(QUESTIONS, start=1):
            self.fields[f"{question.step}_score"] = scale_question(
                _("%(number)s. %(step)s: %(question)s")
                % {"number": number, "step": question.title, "question": question.question},
                SCORES,
                required=_("Choose an answer about the %(step)s.")
                % {"step": in_sentence(question.title)},
                help_text=question.hint,
            )
            self.fields[f"{question.step}_note"] = forms.CharField(
                label=_("Note on %(step)s (optional)") % {"step": in_sentence(question.title)},
                help_text=_("A sentence or two: what makes you answer this way."),
                required=False,
                max_length=NOTE_LIMIT,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def answers(self) -> dict[str, dict]:
        from evaluation.readiness import STEPS

        return {
            step: {
                "score": self.cleaned_data[f"{step}_score"],
                "note": self.cleaned_data.get(f"{step}_note", "").strip(),
            }
            for step in STEPS
        }


class GoNoGoForm(forms.Form):
    """The six items of the EU-style go/no-go review: a decision and a rationale each."""

    def __init__(self, *args, hints=None, **kwargs):
        from evaluation.gonogo import QUESTIONS
        from evaluation.models import GoNoGoDecision, GoNoGoItem

        super().__init__(*args, **kwargs)
        for item in GoNoGoItem:
            self.fields[f"{item.value}_decision"] = forms.ChoiceField(
                label=item.label,
                help_text=QUESTIONS[item],
                choices=GoNoGoDecision.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose go, no go or unsure for %(item)s.")
                    % {"item": in_sentence(item.label)}
                },
            )
            self.fields[f"{item.value}_rationale"] = forms.CharField(
                label=_("Why (%(item)s)") % {"item": in_sentence(item.label)},
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={
                    "required": _("Say why for %(item)s, so the team knows what to improve.")
                    % {"item": in_sentence(item.label)}
                },
            )

    def answers(self) -> dict[str, tuple[str, str]]:
        from evaluation.models import GoNoGoItem

        return {
            item.value: (
                self.cleaned_data[f"{item.value}_decision"],
                self.cleaned_data[f"{item.value}_rationale"],
            )
            for item in GoNoGoItem
        }
