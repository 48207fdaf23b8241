"""Shared by export_canvas and export_briefing: render in this process, write a file."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils import timezone

from accounts.models import Membership, Organisation, User
from documents import layout, packs, queueing, selectors
from documents.models import GeneratedDocument


def reader(organisation: Organisation, email: str | None) -> User:
    """Whose view of the missions to print: the given member, or the first administrator."""
    members = Membership.objects.filter(organisation=organisation).select_related("user")
    if email:
        membership = members.filter(user__email__iexact=email).first()
        if membership is None:
            raise CommandError(f"{email} is not a member of {organisation.slug}.")
        return membership.user
    membership = members.order_by("-role", "pk").filter(role__in=["admin", "lead"]).first()
    membership = membership or members.first()
    if membership is None:
        raise CommandError(f"{organisation.slug} has no members to read its missions as.")
    return membership.user


@contextmanager
def _refused_as_command_error(keys: list[str]) -> Iterator[None]:
    """What the services refuse while exporting `keys` (too long a text, a key that names no
    mission: Http404) ends the command with its reason, without a traceback."""
    try:
        yield
    except ValidationError as exc:
        raise CommandError(f"Cannot export {', '.join(keys)}: {' '.join(exc.messages)}") from None
    except Exception as exc:  # Http404 for unknown keys
        raise CommandError(f"Cannot export {', '.join(keys)}: {exc}") from None


def render_to_file(
    *,
    slug: str,
    kind: str,
    keys: list[str],
    out: str,
    email: str | None,
    decision: str = "",
    covering_note: str = "",
) -> tuple[int, int]:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise CommandError(f"There is no organisation {slug!r}.")
    user = reader(organisation, email)
    if out.lower().endswith(".docx"):
        data, pages = _word(user, organisation, kind, keys, decision, covering_note)
        Path(out).write_bytes(data)
        return pages, len(data)
    if kind == "pack":
        # Several missions: the pack's pages and one briefing piece per mission, assembled
        # as a worker does (documents.packs), nothing stored.
        with _refused_as_command_error(keys):
            pdf, pages = packs.pack_pdf_now(
                by=user, organisation=organisation, keys=keys, covering_note=covering_note
            )
        Path(out).write_bytes(pdf)
        return pages, len(pdf)
    with _refused_as_command_error(keys):
        decision = queueing.check_decision(decision)
        context = queueing.build_context(
            by=user, organisation=organisation, kind=kind, missions=keys, decision=decision
        )
        if kind == "briefing":
            # The same limits as the page: refused with what to shorten, never cut.
            layout.check_briefing_length(context)
    document = GeneratedDocument(
        organisation=organisation,
        kind=kind,
        context=context,
        title=layout.title(kind, context),
        input_hash=queueing.input_hash(kind, context),
        extras={**queueing.requested_extras(user), "previous_date": "", "changes": []},
    )
    pdf, pages = layout.document_pdf(document)
    Path(out).write_bytes(pdf)
    return pages, len(pdf)


def _word(
    user: User,
    organisation: Organisation,
    kind: str,
    keys: list[str],
    decision: str,
    covering_note: str = "",
) -> tuple[bytes, int]:
    """The briefing or pack as an editable Word document (documents.word), from the same
    contexts as the PDF. Its page count is Word's business: reported as 0."""
    from documents import word

    today = selectors.today_text(timezone.localdate())
    with _refused_as_command_error(keys):
        decision = queueing.check_decision(decision)
        if kind == "pack":
            return packs.pack_docx_now(
                by=user, organisation=organisation, keys=keys, covering_note=covering_note
            ), 0
        context = queueing.build_context(
            by=user, organisation=organisation, kind=kind, missions=keys, decision=decision
        )
    document = GeneratedDocument(
        organisation=organisation,
        kind=kind,
        context=context,
        title=layout.title(kind, context),
        extras={"prepared_on": today, "previous_date": "", "changes": []},
    )
    return word.briefing_docx(layout.render_context(document)), 0
