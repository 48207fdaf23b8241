"""The status a page shows for a criterion: automatic checks and human judgement combined."""

import pytest

from evaluation.criteria.engine import (
    AWAITING_REVIEW,
    auto_band,
    displayed_status,
    portfolio_status,
    status_reason,
)
from evaluation.criteria.thresholds import DEFAULTS


@pytest.mark.parametrize("score", [None, 0, 39, 40, 74, 75, 100])
def test_without_a_reviewer_the_status_is_awaiting_review_whatever_the_score(score):
    assert displayed_status(score, None, DEFAULTS) is AWAITING_REVIEW
    assert str(AWAITING_REVIEW.label) == "Awaiting review"


@pytest.mark.parametrize(
    ("score", "rating", "expected"),
    [
        (75, 4, "green"),
        (100, 5, "green"),
        (74, 5, "green"),  # the reviewer decides; the automatic checks only inform
        (39, 4, "green"),  # ... even when they disagree (the page then says so)
        (None, 5, "green"),
        (75, 3, "amber"),
        (40, 3, "amber"),
        (100, 2, "red"),
        (100, 1, "red"),
        (None, 2, "red"),
    ],
)
def test_the_reviewers_rating_decides(score, rating, expected):
    assert displayed_status(score, rating, DEFAULTS).key == expected


def test_status_labels_are_the_reviewers_words():
    assert str(displayed_status(90, 5, DEFAULTS).label) == "Meets the criterion"
    # A 4 is "largely meets", never shown as "partly meets" (issue #16).
    assert str(displayed_status(10, 4, DEFAULTS).label) == "Largely meets the criterion"
    assert str(displayed_status(90, 3, DEFAULTS).label) == "Partly meets the criterion"
    assert str(displayed_status(90, 1, DEFAULTS).label) == "Does not meet the criterion"
    assert auto_band(None, DEFAULTS) == "unknown"


def test_the_reason_says_in_one_sentence_how_they_combine():
    assert status_reason(80, None, DEFAULTS).startswith("No reviewer has rated this criterion yet")
    agreed = status_reason(80, 4, DEFAULTS)
    assert agreed == "The reviewer’s rating decides the status; the automatic checks inform it."
    assert "disagree" in status_reason(10, 4, DEFAULTS)
    assert "disagree" in status_reason(90, 1, DEFAULTS)


@pytest.mark.parametrize(
    ("score", "rating", "expected"),
    [
        (None, None, "awaiting_review"),
        (90, None, "auto_meets"),
        (60, None, "auto_partly"),
        (10, None, "auto_fails"),
        (10, 4, "green"),
        (90, 2, "red"),
    ],
)
def test_the_portfolio_shows_the_automatic_result_until_a_reviewer_rates(score, rating, expected):
    status = portfolio_status(score, rating, DEFAULTS)
    assert status.key == expected
    if rating is None and score is not None:
        assert str(status.label).startswith("Automatic:")
