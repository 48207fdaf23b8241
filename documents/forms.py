"""The briefing page's form: what the author writes for a mission's ministerial briefing, in the
order a minister's private office reads a submission. Every field is optional; a field longer
than its limit is refused with the limit (never cut), and the summary holds three sentences
at most."""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from config.forms import DateInput
from documents.models import BriefingNote

SUMMARY_MAX_SENTENCES = 3
# A sentence ends at . ! or ? followed by a space or the end (not "2.5" or "e.g.x").
SENTENCE_END = re.compile(r"[.!?](?:\s|$)")

HELP = {
    "summary": _(
        "The bottom line first, in three sentences at most: what is happening, what you "
        "recommend and why it matters now."
    ),
    "recommendation": _("What you recommend the minister does, and the main reason."),
    "decision": _(
        "What the minister is asked to decide, in a sentence or two. Leave it empty if the "
        "briefing is for information."
    ),
    "decision_by": _("The date a decision is needed by, if there is one, and why in Timing."),
    "timing": _("Why now: deadlines, announcements or events the decision depends on."),
    "background": _("Only what the minister needs to follow the recommendation."),
    "risks": _(
        "Policy, delivery, financial and legal risks, each with how it is being handled. "
        "The briefing adds the app's own open warnings."
    ),
    "communications": _(
        "What will be said publicly and when, and how partners and stakeholders are handled."
    ),
    "contact_officer": _("Name, role and telephone or e-mail of the person to contact."),
    "cleared_by": _("Who approved the briefing before it goes up, and their role."),
}


class BriefingNoteForm(forms.ModelForm):
    class Meta:
        model = BriefingNote
        fields = list(HELP)  # every field HELP explains, in the order the form asks for them

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.required = False
            field.help_text = HELP[name]
            limit = BriefingNote.LIMITS.get(name)
            if limit is None:
                continue
            field.help_text = format_lazy(
                "{} {}", HELP[name], _("Up to %(limit)s characters.") % {"limit": limit}
            )
            # Every limited field is text (a model TextField or CharField): a CharField here.
            text = cast(forms.CharField, field)
            if text.max_length is None:
                text.max_length = limit
                text.validators.append(MaxLengthValidator(limit))
            if name not in ("contact_officer", "cleared_by"):
                rows = 3 if limit <= 600 else 6
                field.widget = forms.Textarea(attrs={"rows": rows})
        self.fields["decision_by"].widget = DateInput()

    def clean_summary(self) -> str:
        summary = self.cleaned_data.get("summary", "").strip()
        sentences = len(SENTENCE_END.findall(summary.rstrip() + " ")) if summary else 0
        if sentences > SUMMARY_MAX_SENTENCES:
            raise forms.ValidationError(
                ngettext(
                    "The summary can hold %(limit)s sentences at most; it has %(count)s. "
                    "Keep the bottom line and move the rest to Background.",
                    "The summary can hold %(limit)s sentences at most; it has %(count)s. "
                    "Keep the bottom line and move the rest to Background.",
                    sentences,
                )
                % {"limit": SUMMARY_MAX_SENTENCES, "count": sentences}
            )
        return summary

    def unchanged(self) -> bool:
        """The form came back exactly as stored (or as empty, when nothing is stored yet)."""
        return not self.has_changed()
