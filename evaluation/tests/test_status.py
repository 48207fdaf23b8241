"""The status a page shows for a criterion: automatic checks and human judgement combined."""

import pytest

from evaluation.criteria.engine import AWAITING_REVIEW, auto_band, displayed_status
from evaluation.criteria.thresholds import DEFAULTS


@pytest.mark.parametrize("score", [None, 0, 39, 40, 74, 75, 100])
def test_without_a_reviewer_the_status_is_awaiting_review_whatever_the_score(score):
    assert displayed_status(score, None, DEFAULTS) is AWAITING_REVIEW
    assert str(AWAITING_REVIEW.label) == "Awaiting review"


@pytest.mark.parametrize(
    ("score", "rating", "expected"),
    [
        (75, 4, "green"),  # both at their lowest green edge
        (100, 5, "green"),
        (74, 5, "amber"),  # automatic checks just short
        (75, 3, "amber"),  # reviewer not convinced enough
        (40, 3, "amber"),  # lowest amber score
        (39, 5, "red"),  # automatic checks fail: red whatever the reviewer says
        (100, 2, "red"),  # reviewer rates it 2: red whatever the checks say
        (100, 1, "red"),
        (None, 5, "amber"),  # nothing checkable: never green on the rating alone
        (None, 2, "red"),
    ],
)
def test_green_needs_both_red_needs_either(score, rating, expected):
    assert displayed_status(score, rating, DEFAULTS).key == expected


def test_status_labels_are_words():
    assert str(displayed_status(90, 5, DEFAULTS).label) == "Meets the criterion"
    assert str(displayed_status(10, 5, DEFAULTS).label) == "Does not meet the criterion"
    assert auto_band(None, DEFAULTS) == "unknown"
