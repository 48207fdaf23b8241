"""The facet classifier (docs/domain.md §2.3) at its edges, the balance prompts, and the facets
page a lead reads."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from portfolios import services
from portfolios.facets import balance_prompts, derive_change_type, derive_facet
from portfolios.models import Initiative


@pytest.mark.parametrize(
    ("d", "c", "facet"),
    [
        (2, 0, "mission"),  # a fixed goal, neither certain nor uncertain
        (2, 1, "mission"),  # d > |c|
        (2, -1, "mission"),
        (1, 1, "enhancement"),  # d = c: certainty wins the tie (c >= |d|)
        (2, 2, "enhancement"),
        (-1, 1, "enhancement"),
        (0, 1, "enhancement"),
        (-2, 0, "adaptive"),
        (-2, 1, "adaptive"),  # -d > |c|
        (-1, -1, "anticipatory"),  # -c >= |d|
        (1, -1, "anticipatory"),  # directed but as uncertain as directed: not mission
        (2, -2, "anticipatory"),
        (0, 0, "anticipatory"),  # no goal and no known solution
        (0, -2, "anticipatory"),
    ],
)
def test_the_facet_follows_the_formula_at_its_edges(d, c, facet):
    assert derive_facet(d, c) == facet


def test_every_pair_of_answers_has_exactly_one_facet():
    facets = {derive_facet(d, c) for d in range(-2, 3) for c in range(-2, 3)}
    assert facets == {"mission", "adaptive", "enhancement", "anticipatory"}
    with pytest.raises(ValueError):
        derive_facet(3, 0)


@pytest.mark.parametrize(
    ("d", "c", "change"),
    [
        (1, 1, "sustaining"),
        (2, 1, "sustaining"),
        (2, -1, "transformative"),
        (-1, -2, "disruptive"),
        (-2, 2, "optimising"),
        (2, 0, ""),  # on an axis: no edge
        (0, 0, ""),
    ],
)
def test_the_type_of_change_shows_near_an_edge(d, c, change):
    assert derive_change_type(d, c) == change


def _prompt_codes(counts, budgets):
    return [p.code for p in balance_prompts(counts, budgets)]


def test_a_blind_spot_is_raised_from_eight_initiatives():
    seven = {"mission": 4, "enhancement": 2, "adaptive": 1}
    eight = {"mission": 5, "enhancement": 2, "adaptive": 1}
    assert "FACET_BLIND_SPOT" not in _prompt_codes(seven, {})
    prompts = balance_prompts(eight, {})
    assert [p.code for p in prompts] == ["FACET_BLIND_SPOT"]
    assert "None of these 8 initiatives is anticipatory" in prompts[0].question
    assert prompts[0].question.rstrip(")").endswith("?")  # a question, not a score


def test_concentration_is_more_than_sixty_percent_of_budget():
    even = {"mission": 60, "anticipatory": 20, "adaptive": 20}
    assert "FACET_CONCENTRATION" not in _prompt_codes({}, even)
    heavy = {"mission": 61, "anticipatory": 20, "adaptive": 19}
    prompts = balance_prompts({}, heavy)
    assert [p.code for p in prompts] == ["FACET_CONCENTRATION"]
    assert "61% of the budget goes to mission-oriented" in prompts[0].question


def test_no_exploration_below_ten_percent_of_budget():
    ten = {"mission": 50, "enhancement": 40, "anticipatory": 5, "adaptive": 5}
    assert "NO_EXPLORATION" not in _prompt_codes({}, ten)
    nine = {"mission": 51, "enhancement": 40, "anticipatory": 5, "adaptive": 4}
    assert "NO_EXPLORATION" in _prompt_codes({}, nine)
    assert _prompt_codes({}, {}) == []  # no budget, nothing to say about it


@pytest.mark.django_db
def test_a_lead_answers_the_questions_and_overrides_with_a_reason(
    client, member, organisation, scene
):
    lead = member("lead")
    project = scene["steel"].projects.get()
    client.force_login(lead)
    edit = reverse("portfolios:facet_edit", args=[organisation.slug, "green-steel", "h2-lab"])
    assert "Is there a predefined goal set from above?" in client.get(edit).content.decode()
    response = client.post(
        edit, {"directionality": "2", "certainty": "1", "facet_override": "enhancement"}
    )
    assert response.status_code == 422
    assert "Say why this initiative belongs to another facet" in response.content.decode()
    response = client.post(
        edit,
        {
            "directionality": "2",
            "certainty": "1",
            "facet_override": "enhancement",
            "override_reason": "It improves an existing furnace.",
        },
    )
    assert response.status_code == 302
    initiative = Initiative.objects.get(project=project)
    assert (initiative.facet_auto, initiative.facet, initiative.change_type) == (
        "mission",
        "enhancement",
        "sustaining",
    )
    page = client.get(reverse("portfolios:facets", args=[organisation.slug])).content.decode()
    assert "It improves an existing furnace." in page
    assert "Questions for reflection" in page


@pytest.mark.django_db
def test_the_facets_page_shows_the_mix_the_scatter_and_prompts(client, member, organisation, scene):
    client.force_login(member("admin"))
    page = client.get(reverse("portfolios:facets", args=[organisation.slug])).content.decode()
    assert 'aria-labelledby="facet-scatter-title facet-scatter-desc"' in page
    # Hydrogen lab (anticipatory, 900,000) and River sensors (mission, 100,000): 90% / 10%.
    assert "900,000" in page and "90%" in page
    assert "90% of the budget goes to anticipatory initiatives" in page
    assert "not scores" in page


@pytest.mark.django_db
def test_an_initiative_outside_missions_counts_in_the_whole_organisation(member, organisation):
    lead = member("lead")
    initiative = services.initiative_classify(
        by=lead,
        organisation=organisation,
        title="Foresight lab",
        budget=Decimal("300000"),
        directionality=-2,
        certainty=-2,
    )
    assert initiative.facet == "anticipatory"
    with pytest.raises(ValidationError):
        services.initiative_classify(
            by=lead, organisation=organisation, directionality=0, certainty=0
        )
