from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Language
from canvas.boxes import BOXES
from config.forms import DateInput
from missions.forms import VersionedForm
from participation.models import Answer, Consultation, Idea

# A field people never see (hidden from sight and from screen readers) that spam robots fill
# in: a form that comes back with it filled is dropped without a word. No CAPTCHA.
HONEYPOT = "website"


class HoneypotForm(forms.Form):
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_robot(self) -> bool:
        return bool(self.data.get(HONEYPOT))


class TakePartForm(HoneypotForm):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_("We send you a link to take part. We never show your address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=60,
        required=False,
        help_text=_(
            "Shown beside what you send in; it need not be your real name. Needed the first "
            "time only."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    organisation_name = forms.CharField(
        label=_("Civil-society organisation you represent"),
        max_length=120,
        required=False,
        help_text=_("Leave empty if you take part for yourself. Staff check it before it shows."),
    )


class IdeaForm(HoneypotForm):
    title = forms.CharField(label=_("Title"), max_length=120)
    body = forms.CharField(
        label=_("Your idea"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What should be done, and why? At most 2,000 characters and two links."),
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=80,
        required=False,
        help_text=_("A town, district or region the idea is about."),
    )
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    on_behalf = forms.BooleanField(
        label=_("Send it in on behalf of my organisation"), required=False
    )

    def __init__(
        self,
        *args: Any,
        consultation: Consultation,
        represents: str,
        verified: bool,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        themes = consultation.theme_list
        theme = self.fields["theme"]
        assert isinstance(theme, forms.ChoiceField)  # noqa: S101
        if themes:
            theme.choices = [("", _("No theme")), *[(t, t) for t in themes]]
        else:
            del self.fields["theme"]
        if represents:
            self.fields["on_behalf"].label = _("Send it in on behalf of %(organisation)s") % {
                "organisation": represents
            }
            if not verified:
                self.fields["on_behalf"].help_text = _(
                    "It shows as theirs once staff have checked that you represent them."
                )
        else:
            del self.fields["on_behalf"]


class CommentForm(HoneypotForm):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("At most 1,000 characters and one link."),
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with it?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: insulting, personal data, advertising, off topic."),
    )


# --- Staff -------------------------------------------------------------------------------------


class PublishForm(forms.Form):
    introduction = forms.CharField(
        label=_("Introduction for the public"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "A few sentences in everyday words: why this mission matters to people, and how "
            "they can help. At most 1,000 characters."
        ),
    )
    second_language = forms.ChoiceField(
        label=_("Second language (optional)"),
        required=False,
        choices=[("", _("No second language")), *Language.choices],
        help_text=_(
            "For a country with two official languages: the public page shows the statement "
            "and introduction in this language too."
        ),
    )
    second_statement = forms.CharField(
        label=_("Mission statement in the second language"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    second_introduction = forms.CharField(
        label=_("Introduction in the second language"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ConsultationForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Consultation
        fields = ["title", "purpose", "decision_by", "opens_on", "closes_on", "questions", "themes"]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "questions": forms.Textarea(attrs={"rows": 4}),
            "themes": forms.Textarea(attrs={"rows": 4}),
            "decision_by": DateInput(),
            "opens_on": DateInput(),
            "closes_on": DateInput(),
        }


class HideForm(forms.Form):
    hidden_reason = forms.CharField(
        label=_("Why is it hidden?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The author is told, in these words."),
    )


class BanForm(forms.Form):
    ban_reason = forms.CharField(
        label=_("Why may the author no longer take part?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The author is told, in these words."),
    )


class AnswerForm(VersionedForm, forms.Form):
    answer = forms.ChoiceField(
        label=_("What came of it"), choices=Answer.choices, widget=forms.RadioSelect
    )
    merged_into = forms.ChoiceField(label=_("Merged with"), required=False)
    response = forms.CharField(
        label=_("Response for the public"),
        max_length=1500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Needed once you choose what came of it: published beside the idea and sent to its "
            "author. Say what was done, and why."
        ),
    )

    def __init__(self, *args: Any, idea: Idea, others: list[Idea], **kwargs: Any):
        super().__init__(*args, **kwargs)
        merged = self.fields["merged_into"]
        assert isinstance(merged, forms.ChoiceField)  # noqa: S101
        merged.choices = [("", _("Not merged"))] + [
            (str(other.number), f"{other.number}. {other.title}")
            for other in others
            if other.pk != idea.pk
        ]
        self.others = {str(other.number): other for other in others}

    def merged_idea(self) -> Idea | None:
        return self.others.get(self.cleaned_data.get("merged_into") or "")


class CanvasEvidenceForm(forms.Form):
    box = forms.ChoiceField(
        label=_("Canvas box"),
        help_text=_("The idea is quoted in a comment on the box, for its editors to weigh."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        box = self.fields["box"]
        assert isinstance(box, forms.ChoiceField)  # noqa: S101
        box.choices = [("", _("Choose a box"))] + [(b.key, f"{b.number}. {b.title}") for b in BOXES]


class ProjectFromIdeaForm(forms.Form):
    title = forms.CharField(
        label=_("Project title"),
        max_length=200,
        help_text=_("The project is added to the mission's projects, marked as from this idea."),
    )
