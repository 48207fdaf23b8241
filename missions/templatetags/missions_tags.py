import datetime

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from missions import formatting

register = template.Library()

STATUS_COLOURS = {
    "draft": "govuk-tag--grey",
    "proposed": "govuk-tag--blue",
    "approved": "govuk-tag--turquoise",
    "active": "govuk-tag--green",
    "under_review": "govuk-tag--purple",
    "paused": "govuk-tag--yellow",
    "completed": "govuk-tag--green",
    "retired": "govuk-tag--grey",
}


@register.inclusion_tag("missions/_status_tag.html")
def status_tag(mission) -> dict:
    """A mission's status as a tag with words (never colour alone); archived shows too."""
    return {
        "label": mission.get_status_display(),
        "colour": STATUS_COLOURS.get(mission.status, "govuk-tag--grey"),
        "archived": mission.archived_at is not None,
        "archived_label": _("Archived"),
    }


@register.simple_tag
def fix_url(need, mission) -> str:
    """Where a workflow requirement (`missions.workflow.Need`) is met: the overview group open
    for editing at its field, the target to complete, or the form that adds a target."""
    org, key = mission.organisation.slug, mission.key
    if need.part == "target":
        url = reverse("missions:target_edit", args=[org, key, need.target_key])
        return f"{url}#target-{need.target_key}"
    if need.part == "targets":
        return reverse("missions:targets", args=[org, key]) + "#add-target"
    url = reverse("missions:edit_group", args=[org, key, need.part])
    return f"{url}#id_{need.field}" if need.field else url


@register.filter
def money(value, currency: str = "") -> str:
    """An amount in the page's language: 1234567.5 EUR → "€1,234,567.50" in English,
    "1.234.567,50 €" in German; empty stays a dash (missions.formatting.money)."""
    return formatting.money(value, currency)


@register.filter
def machine_datetime(value: datetime.datetime | None) -> str:
    """A moment for `<time datetime>`, as the HTML standard accepts it: whole seconds in UTC
    ("2026-12-04T20:52:53Z"). Django's `date:'c'` adds microseconds, which it does not."""
    if value is None:
        return ""
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@register.filter
def number(value) -> str:
    """A decimal without trailing zeros, in the page's language: 5.50 → 5.5 (German 5,5),
    75.000 → 75; empty stays a dash."""
    return formatting.number(value)


@register.simple_tag
def blank_milestone_form(target):
    """An empty "add a milestone" form for one target card (each card has its own prefix)."""
    from missions.forms import MilestoneForm

    return MilestoneForm(prefix=f"m-{target.key}")


@register.inclusion_tag("missions/_subnav.html", takes_context=True)
def mission_sections(context, mission):
    """The mission's sub-navigation: every section an app registered (missions.hooks), in
    order, those behind a permission only for people who have it."""
    from missions import hooks

    request = context.get("request")
    user = getattr(request, "user", None)
    items = [
        {
            "name": section.name,
            "label": section.label,
            "href": reverse(section.url_name, args=[mission.organisation.slug, mission.key]),
        }
        for section in hooks.sections()
        if not section.permission
        or (user is not None and user.has_perm(section.permission, mission))
    ]
    return {"items": items, "section": context.get("section", "")}


@register.simple_tag(takes_context=True)
def mission_header_panels(context, mission):
    """The summaries other apps registered for the top of every mission page."""
    from django.utils.safestring import mark_safe

    from missions import hooks

    return mark_safe(  # noqa: S308 - each panel is a template rendered with autoescaping
        "".join(
            _panel(context, template, {**build(mission), "mission": mission})
            for template, build in hooks.header_panels()
        )
    )


@register.simple_tag(takes_context=True)
def target_panels(context, target):
    """What other apps registered for each target card (e.g. the indicator's sparkline)."""
    from django.utils.safestring import mark_safe

    from missions import hooks

    extra = {
        "organisation": context.get("organisation"),
        "mission": context.get("mission"),
        "can_edit": context.get("can_edit"),
    }
    return mark_safe(  # noqa: S308 - each panel is a template rendered with autoescaping
        "".join(
            _panel(context, template, {**extra, **build(target)})
            for template, build in hooks.target_panels()
        )
    )


def _panel(context, template_name: str, values: dict) -> str:
    """Another app's panel, rendered with only `values` and the request, as render_to_string
    would, but in the page's own context: render_to_string runs every context processor again
    (the navigation, the memberships) for each panel of each page."""
    template = context.template.engine.get_template(template_name)
    return template.render(context.new({**values, "request": context.get("request")}))


# --- The mission's history in words ------------------------------------------------------------

# The model behind each part a history entry names (app label, model), for field labels and
# choices; higher apps' models are looked up by name, never imported.
HISTORY_MODELS = {
    "mission": ("missions", "Mission"),
    "target": ("missions", "Target"),
    "milestone": ("missions", "Milestone"),
    "project": ("missions", "MissionProject"),
    "decision": ("portfolios", "ReviewDecision"),
    "stakeholder": ("stakeholders", "Stakeholder"),
    "engagement activity": ("stakeholders", "EngagementActivity"),
    "theory of change step": ("evaluation", "ToCNode"),
    "theory of change link": ("evaluation", "ToCLink"),
}
HISTORY_PARTS = {
    "mission": _("the mission"),
    "target": _("a target"),
    "milestone": _("a milestone"),
    "project": _("a project"),
    "contributions": _("which targets a project moves"),
    "decision": _("a decision"),
    "stakeholder": _("a stakeholder"),
    "stakeholder map": _("the stakeholder map"),
    "engagement activity": _("an engagement activity"),
    "theory of change step": _("a theory of change step"),
    "theory of change link": _("a theory of change link"),
}
# A workflow step as people say it.
TRANSITIONS_DONE = {
    "propose": _("Proposed the mission for approval"),
    "withdraw": _("Returned the mission to draft"),
    "approve": _("Approved the mission"),
    "activate": _("Started the mission"),
    "start_review": _("Started a review of the mission"),
    "end_review": _("Closed the review; the mission carries on"),
    "pause": _("Paused the mission"),
    "resume": _("Resumed the mission"),
    "complete": _("Marked the mission as completed"),
    "retire": _("Retired the mission"),
}


def _history_model(change):
    from django.apps import apps

    app_model = HISTORY_MODELS.get(change.object_type)
    if app_model is None:
        return None
    try:
        return apps.get_model(*app_model)
    except LookupError:
        return None


@register.filter
def change_summary(change) -> str:
    """What happened, as a sentence: "Paused the mission", "Changed a target"."""
    transition = (change.changes or {}).get("transition")
    if change.action == "transitioned" and isinstance(transition, list) and transition[-1]:
        done = TRANSITIONS_DONE.get(transition[-1])
        if done:
            return str(done)
    part = HISTORY_PARTS.get(change.object_type, change.object_type)
    return str(_("%(action)s %(part)s")) % {"action": change.get_action_display(), "part": part}


@register.filter
def change_details(change) -> list[tuple[str, str, str]]:
    """(field, before, after) in words for each field the change touched."""
    from missions.plain_words import field_label, plain_value

    model = _history_model(change)
    rows = []
    for name, values in (change.changes or {}).items():
        if name == "transition":
            continue  # said by change_summary
        before, after = [*values, None, None][:2] if isinstance(values, list) else (None, values)
        try:
            model_field = model._meta.get_field(name) if model else None
        except Exception:
            model_field = None
        rows.append(
            (
                field_label(model, name),
                plain_value(before, model_field),
                plain_value(after, model_field),
            )
        )
    return rows
