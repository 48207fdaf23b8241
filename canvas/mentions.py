"""@mentions in canvas comments.

A mention is "@" followed by the full name of a member of the mission's organisation, in any
case: "@sam servant" mentions Sam Servant. Where several names fit ("@Sam Servant" and
"@Sam Servant-Smith"), the longest wins, so a longer name is never cut short by a shorter one
that begins it. The name must end there (not run on into more letters or digits). Only members
of the organisation can be mentioned, so a comment cannot reach anyone who may not read it.
The comment's text is stored and shown as typed: a mention is plain text on the page.
"""

from __future__ import annotations

from accounts.models import User


def _ends_there(text: str, end: int) -> bool:
    return end == len(text) or not text[end].isalnum()


def mentioned_members(text: str, *, organisation_id: int) -> list[User]:
    """The members of the organisation that `text` mentions, in the order first mentioned.
    One query for the members, and none when the text holds no "@"."""
    if "@" not in text:
        return []
    members = [
        (" ".join(user.full_name.split()).casefold(), user)
        for user in User.objects.filter(
            memberships__organisation_id=organisation_id, is_active=True
        ).only("pk", "full_name", "email")
        if user.full_name.strip()
    ]
    members.sort(key=lambda item: len(item[0]), reverse=True)  # the longest name first
    folded = text.casefold()
    found: dict[int, User] = {}
    start = folded.find("@")
    while start != -1:
        after = folded[start + 1 :]
        for name, user in members:
            if after.startswith(name) and _ends_there(after, len(name)):
                found.setdefault(user.pk, user)
                break
        start = folded.find("@", start + 1)
    return list(found.values())
