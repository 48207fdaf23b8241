"""Demo data of the canvas (seed_demo, see missions/demo.py for the story): the editor fills in
the boxes of the unit's own missions before proposing them, and the reviewer comments on them,
addressing the editor by name ("@Sam Servant") where the editor has to act.

Written through canvas.services, once: a box that already has text and a comment already made
are left alone on a second run.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.models import Organisation
from canvas import services
from canvas.models import CanvasBox, CanvasComment
from missions import demo as missions_demo

# mission key → {box key: text}, as the editor wrote them.
BOXES: dict[str, dict[str, str]] = {
    missions_demo.PROPOSED: {
        "challenge": (
            "Women in the Netherlands live about four years longer than men, but fewer of those "
            "years free of limitations in daily activities. Their healthy life years fell from "
            "59.6 in 2021 to 57.5 in 2023 (Eurostat).\n"
            "Menopause, musculoskeletal complaints and mental health keep many women over 50 "
            "from work and daily life."
        ),
        "rationale": (
            "No single ministry can close this gap: care, work, sport and research all play "
            "a part. A mission gives them one target and lets the best ideas win."
        ),
        "stakeholders": (
            "Women's and patient organisations, general practitioners, employers in care and "
            "education, occupational health services, insurers, ZonMw."
        ),
        "learning": (
            "Eurostat publishes healthy life years every year; we review progress each spring "
            "when the new figure appears, and look at the projects' own results in between."
        ),
    },
    missions_demo.CHANGES_REQUESTED: {
        "challenge": (
            "Children breathe the worst air of their day at the school gate, and many parents "
            "drive them because the street feels unsafe."
        ),
        "targets": (
            "4% of primary schools have a school street today; every school should have one "
            "by 2030."
        ),
        "instruments_resources": "Funding still to be agreed with the municipalities.",
    },
    missions_demo.APPROVED: {
        "challenge": (
            "Public canteens throw away a large share of the food they cook: money, energy and "
            "emissions wasted every day."
        ),
        "instruments_resources": (
            "Waste audits paid from the programme budget; new catering contracts through the "
            "central procurement framework."
        ),
        "learning": (
            "Every canteen weighs its waste each spring; the programme board reviews the "
            "results in March and may adjust the menus project."
        ),
    },
}

# mission key → [(box key, text)], the reviewer's comments; "%(editor)s" is the editor's name.
COMMENTS: dict[str, list[tuple[str, str]]] = {
    missions_demo.CHANGES_REQUESTED: [
        (
            "targets",
            "@%(editor)s where does the 4% baseline come from? Without a source the lead "
            "cannot approve the target. Could the municipalities' own registers give it?",
        ),
        (
            "instruments_resources",
            "No budget or staff are named yet. Who pays for redesigning the streets: the "
            "municipalities, the national programme, or both?",
        ),
    ],
    missions_demo.APPROVED: [
        (
            "learning",
            "Good that the yearly audit is the review point. Say who may change the target if "
            "the first audits show a different baseline.",
        ),
    ],
}


def load_demo_boxes(organisations: dict[str, Organisation]) -> str:
    """The editor's canvas texts, in boxes that are still empty."""
    saved = 0
    work = missions_demo.work_of(organisations, missions_demo.EDITOR, BOXES.items())
    for editor, mission, boxes in work:
        filled = {
            row.box_key: row for row in CanvasBox.objects.filter(mission=mission).exclude(text="")
        }
        for box_key, text in boxes.items():
            if box_key in filled:
                continue
            row = CanvasBox.objects.filter(mission=mission, box_key=box_key).first()
            services.canvas_box_save(
                by=editor,
                mission=mission,
                box_key=box_key,
                text=text,
                expected_version=row.version if row else 0,
            )
            saved += 1
    return _("Demo canvas: %(saved)s boxes filled in by the editor.") % {"saved": saved}


def load_demo_comments(organisations: dict[str, Organisation]) -> str:
    """The reviewer's comments on the editor's missions (each once)."""
    editor = missions_demo.member(organisations[missions_demo.ORGANISATION], missions_demo.EDITOR)
    added = 0
    work = missions_demo.work_of(organisations, missions_demo.REVIEWER, COMMENTS.items())
    for reviewer, mission, comments in work:
        if editor is None:
            break  # the comments name the editor
        for box_key, template in comments:
            text = template.replace("%(editor)s", editor.full_name)
            if CanvasComment.objects.filter(
                mission=mission, box_key=box_key, author=reviewer, text=text
            ).exists():
                continue
            services.canvas_comment_add(by=reviewer, mission=mission, box_key=box_key, text=text)
            added += 1
    return _("Demo canvas comments: %(added)s added by the reviewer.") % {"added": added}
