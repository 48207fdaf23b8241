"""The numbers the rules compare against. All are heuristics (docs/domain.md §5.4, §7.4): starting
defaults to review with real mission teams, overridable per deployment through
`settings.MISSION_RULES`, e.g.

    MISSION_RULES = {"statement_max_words": 50, "weights": {"c2_deadline": 2}}

Keys not given keep their default; unknown keys are ignored. `weights` is merged, not replaced.
"""

from __future__ import annotations

import copy
from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # --- Statement (C1, C2) ---
    "statement_max_words": 40,
    "unexplained_acronyms_max": 1,
    # LIX (Björnsson): under 40 easy, 40-50 plain, 50-60 hard, over 60 very hard.
    "statement_max_lix": 60,
    "acronym_glossary": ["EU", "UN", "SDG", "CO2", "UK", "US", "USA", "GDP", "NGO", "AI"],
    # --- Ambition (C1) ---
    "ambition_min_relative_change": 0.20,
    "ambition_min_trend_multiple": 1.5,
    # --- Direction (C2) ---
    "horizon_min_years": 3,
    "horizon_max_years": 20,
    # --- R&I actions (C3) ---
    "budget_min_committed_share": 0.5,
    "stage_spread_min": 2,
    # --- Cross-sector, cross-actor (C4) ---
    "sectors_min": 3,
    "disciplines_min": 2,
    "government_actors_min": 2,
    "government_levels_min": 2,
    "lead_budget_share_max": 0.5,
    # --- The public's participation (C4, C5) ---
    "participation_people_min": 20,
    "participation_places_min": 3,
    "participation_answered_share_min": 0.9,
    # --- Portfolio (C5) ---
    "projects_min": 5,
    "instruments_min": 2,
    "approaches_min": 2,
    "portfolio_hhi_max": 0.4,
    # --- Criterion status ---
    "score_meets": 75,  # automatic "meets the checks"; green also needs a human rating >= 4
    "score_fails": 40,  # below this the criterion shows red whatever the human rating
    "rating_green_min": 4,
    "rating_red_max": 2,
    # --- Warnings (docs/domain.md §5.4) ---
    "rebadged_warn_share": 0.6,
    "rebadged_high_share": 0.8,
    "new_money_min_share": 0.2,
    "unlinked_max_share": 0.3,
    "core_team_max_share": 0.6,
    "concentration_hhi_max": 0.25,
    "concentration_top3_max_share": 0.75,
    "single_path_min_projects": 2,
    "owner_active_missions_max": 3,
    "policy_domain_missions_max": 2,
    "underfunded_min_share": 0.5,
    "understaffed_min_fte": 1.0,
    "milestone_slip_consecutive": 2,
    "stretch_max_trend_multiple": 3.0,
    "stale_map_months": 12,  # LOCKIN_STALE_MAP: the stakeholder map needs a look after this
    # --- Signal weights: how much each automatic check counts in its criterion's score ---
    "weights": {
        "c1_statement_length": 2,
        "c1_acronyms": 1,
        "c1_readability": 1,
        "c1_no_activity_verb": 2,
        "c1_sdg": 1,
        "c1_affected_population": 1,
        "c1_engagement": 1,
        "c1_ambition": 2,
        "c1_trend": 1,
        "c2_headline_target": 3,
        "c2_deadline": 3,
        "c2_end_state": 2,
        "c2_indicators": 2,
        "c2_milestone": 1,
        "c2_geography": 1,
        "c2_statement_year": 1,
        "c3_rd_content": 2,
        "c3_full_cycle": 1,
        "c3_budget": 3,
        "c3_targets_covered": 2,
        "c3_stage_spread": 1,
        "c4_sectors": 2,
        "c4_disciplines": 2,
        "c4_helices": 3,
        "c4_government_horizontal": 1,
        "c4_government_vertical": 1,
        "c4_lead_concentration": 2,
        "c4_shared_rewards": 1,
        "c4_public_spread": 1,
        "c5_projects": 2,
        "c5_instruments": 2,
        "c5_approaches": 1,
        "c5_open_origin": 2,
        "c5_budget_spread": 1,
        "c5_ideas_answered": 2,
    },
}


def current() -> dict[str, Any]:
    """The thresholds in force: the defaults, overridden by `settings.MISSION_RULES`."""
    values = copy.deepcopy(DEFAULTS)
    overrides = getattr(settings, "MISSION_RULES", None) or {}
    for key, value in overrides.items():
        if key == "weights":
            values["weights"].update(value)
        elif key in values:
            values[key] = value
    return values
