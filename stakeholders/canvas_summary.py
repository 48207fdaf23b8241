"""The live summary in the canvas's "Stakeholders and citizens" box (registered in apps.py)."""

from __future__ import annotations

from typing import Any

from missions.models import Helix, Mission
from stakeholders.models import Quadrant, Stakeholder, quadrant_of

QUADRANT_ORDER = [
    Quadrant.KEY_PLAYER,
    Quadrant.KEEP_SATISFIED,
    Quadrant.KEEP_INFORMED,
    Quadrant.MONITOR,
]
FOUR_HELICES = [Helix.GOVERNMENT, Helix.INDUSTRY, Helix.ACADEMIA, Helix.CIVIL_SOCIETY]


def summary_context(mission: Mission) -> dict[str, Any]:
    """Counts by quadrant and which of the four helices are present: one query."""
    rows = list(
        Stakeholder.objects.filter(mission=mission).values_list("power", "interest", "helix")
    )
    by_quadrant = dict.fromkeys(QUADRANT_ORDER, 0)
    for power, interest, _helix in rows:
        by_quadrant[Quadrant(quadrant_of(power, interest))] += 1
    present = {helix for _power, _interest, helix in rows}
    return {
        "stakeholder_count": len(rows),
        "quadrants": [(q.label, by_quadrant[q]) for q in QUADRANT_ORDER if by_quadrant[q]],
        "missing_helices": [h.label for h in FOUR_HELICES if h not in present],
    }
