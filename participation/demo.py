"""Demo data of the participation app (seed_demo): Vinnova's two mission areas, school food and
healthy streets, published with a consultation each, and ideas from illustrative participants.

The missions are real; the consultations, participants and ideas are invented for the demo and
say so (in the consultation's purpose and the page's introduction). Written through the
services, once: a second run finds the public pages there and leaves them alone.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.models import Organisation, User
from missions.models import Mission
from participation import services
from participation.models import Answer, Idea, Participant, Publication

ILLUSTRATIVE = (
    "Illustrative: this consultation, its participants and their ideas were written for the "
    "Lodestar demo."
)

SCHOOL_FOOD_IDEAS = [
    (
        "Let pupils cook one school lunch a month",
        "Classes take turns planning and cooking a lunch with the kitchen staff, using what "
        "is in season. Children eat what they made themselves, and learn where food comes from.",
        "Malmö",
        "Cooking and learning",
    ),
    (
        "Buy vegetables from farms near each school",
        "Municipal procurement could reserve a share for farms within 50 km, with simpler "
        "tenders that small farms can answer.",
        "Skåne",
        "Procurement",
    ),
    (
        "Weigh and show the leftovers every day",
        "A screen by the tray return shows how much was thrown away today and this week. "
        "Schools that tried it threw away a third less.",
        "Umeå",
        "Food waste",
    ),
    (
        "Local farms in the school meal tenders",
        "Write tenders so that farms close by can bid for parts of the contract: vegetables, "
        "potatoes, eggs.",
        "Lund",
        "Procurement",
    ),
    (
        "Longer lunch breaks",
        "Twenty minutes is too short to eat properly. Give every pupil at least 30 minutes at "
        "the table.",
        "Göteborg",
        "Cooking and learning",
    ),
]

STREET_IDEAS = [
    (
        "Close the street in front of schools at drop-off times",
        "School streets: no through traffic from 7:45 to 8:30 and from 14:00 to 15:00, with "
        "planters that residents look after.",
        "Stockholm",
        "Children",
    ),
    (
        "Benches every 200 metres on the way to the health centre",
        "Older people walk more when they know they can rest. Map the routes to health "
        "centres and put benches along them.",
        "Uppsala",
        "Older people",
    ),
    (
        "Let residents turn one parking space into a garden",
        "A simple permit for a summer: a parklet with plants and seats, looked after by the "
        "neighbours who asked for it.",
        "Göteborg",
        "Green space",
    ),
]


def _participant(number: int, name: str, organisation: str = "") -> Participant:
    """An illustrative participant, signed up a month ago and confirmed."""
    participant, _created = Participant.objects.get_or_create(
        email=f"participant{number}@example.org",
        defaults={"display_name": name, "organisation_name": organisation},
    )
    month_ago = timezone.now() - datetime.timedelta(days=30)
    Participant.objects.filter(pk=participant.pk).update(
        created_at=month_ago, confirmed_at=month_ago
    )
    participant.refresh_from_db()
    return participant


def load_demo_participation(organisations: dict[str, Organisation]) -> str:
    organisation = organisations["demo-unit"]
    lead = User.objects.filter(email="lead@demo.example").first()
    editor = User.objects.filter(email="servant@demo.example").first()
    missions = {
        m.key: m
        for m in Mission.objects.filter(
            organisation=organisation, key__in=["se-school-food", "se-healthy-streets"]
        )
    }
    if lead is None or editor is None or len(missions) < 2:
        return "Demo participation: skipped (the demo missions or users are missing)."
    if Publication.objects.filter(mission__in=missions.values()).exists():
        return "Demo participation: already there."
    today = timezone.localdate()
    people = [
        _participant(1, "Amira"),
        _participant(2, "Johan L."),
        _participant(3, "Karin"),
        _participant(4, "Mateo"),
        _participant(5, "Elsa", "Naturskyddsföreningen"),
        _participant(6, "Nils"),
    ]

    food = missions["se-school-food"]
    services.publish(
        by=lead,
        mission=food,
        introduction=(
            "Children eat a school lunch every day. Making it tasty, healthy and sustainable "
            "changes what a whole generation eats. " + ILLUSTRATIVE
        ),
    )
    food_call = services.consultation_create(
        by=lead,
        mission=food,
        title="What would make school lunch better?",
        purpose=(
            "Your ideas shape the projects funded in the mission's next call, decided by the "
            "mission board. " + ILLUSTRATIVE
        ),
        decision_by=today + datetime.timedelta(days=75),
        opens_on=today - datetime.timedelta(days=14),
        closes_on=today + datetime.timedelta(days=30),
        questions="What would make pupils eat more of their lunch?\n"
        "How could schools buy more local, sustainable food?",
        themes="Cooking and learning\nProcurement\nFood waste",
    )
    food_ideas = [
        services.idea_submit(
            participant=people[number],
            consultation=food_call,
            title=title,
            body=body,
            place=place,
            theme=theme,
        )
        for number, (title, body, place, theme) in enumerate(SCHOOL_FOOD_IDEAS)
    ]
    for supporter in people[2:]:
        services.idea_support(participant=supporter, idea=food_ideas[0])
    services.idea_support(participant=people[0], idea=food_ideas[2])
    services.comment_add(
        participant=people[3],
        idea=food_ideas[0],
        body="Our school did this once a term and the children loved it.",
    )
    project = services.idea_to_project(by=editor, idea=food_ideas[2], title="Leftovers on show")
    adopted = Idea.objects.get(pk=food_ideas[2].pk)  # the project is linked to it now
    services.idea_answer(
        by=editor,
        idea=adopted,
        expected_version=adopted.version,
        answer=Answer.ADOPTED,
        response=f"Taken up: “{project.title}” is now a pilot project of the mission, in twelve "
        "schools from next term.",
    )
    services.idea_answer(
        by=editor,
        idea=food_ideas[3],
        expected_version=food_ideas[3].version,
        answer=Answer.MERGED,
        response="The same proposal as “Buy vegetables from farms near each school”; we answer "
        "both there.",
        merged_into=food_ideas[1],
    )
    services.idea_answer(
        by=editor,
        idea=food_ideas[4],
        expected_version=food_ideas[4].version,
        answer=Answer.NOT_TAKEN,
        response="Lunch hours are set by each school, not by the mission. We passed the idea "
        "on to the national association of head teachers.",
    )

    streets = missions["se-healthy-streets"]
    services.publish(
        by=lead,
        mission=streets,
        introduction=(
            "Streets are where we walk, play and meet. The mission wants every street to be "
            "healthy, sustainable and full of life. " + ILLUSTRATIVE
        ),
    )
    street_call = services.consultation_create(
        by=lead,
        mission=streets,
        title="Your street in 2030",
        purpose=(
            "The ideas choose the first ten street experiments the mission funds with the "
            "municipalities. " + ILLUSTRATIVE
        ),
        decision_by=today + datetime.timedelta(days=90),
        opens_on=today - datetime.timedelta(days=7),
        closes_on=today + datetime.timedelta(days=45),
        questions="What would make your street healthier and more pleasant?",
        themes="Children\nOlder people\nGreen space",
    )
    # A civil-society organisation's representative, sending in for it; the lead verified.
    services.representative_verify(
        by=lead,
        idea=services.idea_submit(
            participant=people[4],
            consultation=street_call,
            title=STREET_IDEAS[2][0],
            body=STREET_IDEAS[2][1],
            place=STREET_IDEAS[2][2],
            theme=STREET_IDEAS[2][3],
            on_behalf=True,
        ),
    )
    for number, (title, body, place, theme) in enumerate(STREET_IDEAS[:2]):
        services.idea_submit(
            participant=people[number],
            consultation=street_call,
            title=title,
            body=body,
            place=place,
            theme=theme,
        )
    return (
        "Demo participation: 2 missions published, 2 consultations, "
        f"{len(SCHOOL_FOOD_IDEAS) + len(STREET_IDEAS)} illustrative ideas."
    )
