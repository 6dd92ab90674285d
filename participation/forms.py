from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import roles
from core.editing import VersionedForm
from strategy.models import Goal

from .models import Comment, Consultation, Faction, NotificationPreference, Vote

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ConsultationForm(VersionedForm):
    goals = forms.ModelMultipleChoiceField(
        label=_("Goals"),
        queryset=Goal.objects.select_related("field"),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Consultation
        fields = ["title", "introduction", "goals", "opens_at", "closes_at", "named_results"]
        widgets = {"opens_at": DATETIME_WIDGET, "closes_at": DATETIME_WIDGET}
        help_texts = {
            "opens_at": _("Date and time, e.g. 01.12.2026 09:00."),
            "closes_at": _("Nobody can comment or vote from this moment on."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Archived goals are not offered, except those the consultation already has.
        offered = Q(archived_at__isnull=True, field__archived_at__isnull=True)
        if self.instance.pk:
            offered |= Q(pk__in=self.instance.goals.values("pk"))
        self.fields["goals"].queryset = Goal.objects.select_related("field").filter(offered)
        for name in ("opens_at", "closes_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M"]

    def clean_goals(self):
        """A goal with votes or comments in this consultation stays in it: its result and its
        discussion are council records (docs/architecture.md, "Records that stay")."""
        goals = self.cleaned_data["goals"]
        if not self.instance.pk:
            return goals
        kept = {goal.pk for goal in goals}
        with_records = set(
            Vote.objects.filter(consultation=self.instance).values_list("goal_id", flat=True)
        ) | set(
            Comment.objects.filter(consultation=self.instance).values_list("goal_id", flat=True)
        )
        removed = Goal.objects.filter(pk__in=with_records - kept).order_by("code")
        if removed:
            raise forms.ValidationError(
                _(
                    "These goals already have votes or comments in this consultation and stay in "
                    "it: %(goals)s."
                )
                % {"goals": ", ".join(goal.code for goal in removed)}
            )
        return goals

    def clean(self):
        cleaned = super().clean()
        opens_at, closes_at = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", _("The closing time must be after the opening time."))
        return cleaned


class FactionForm(forms.ModelForm):
    class Meta:
        model = Faction
        fields = ["name", "short_name", "seats", "term_start", "term_end"]
        widgets = {"term_start": DATE_WIDGET, "term_end": DATE_WIDGET}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("term_start"), cleaned.get("term_end")
        if start and end and end < start:
            self.add_error("term_end", _("The term must not end before it starts."))
        return cleaned


class CouncillorForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Person"),
        queryset=get_user_model().objects.none(),
        help_text=_("People with the Stadtrat role who are not yet councillors."),
    )
    faction = forms.ModelChoiceField(label=_("Faction"), queryset=Faction.objects.all())
    valid_from = forms.DateField(label=_("Member since"), widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(groups__name=roles.STADTRAT, councillor__isnull=True)
            .order_by("last_name", "first_name", "username")
        )
        self.fields["valid_from"].initial = timezone.localdate()


class FactionChangeForm(forms.Form):
    faction = forms.ModelChoiceField(label=_("New faction"), queryset=Faction.objects.all())
    valid_from = forms.DateField(label=_("Member from"), widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valid_from"].initial = timezone.localdate()


class CommentForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
        labels = {"text": _("Your comment")}
        help_texts = {"text": _("Plain text; links become clickable.")}
        error_messages = {"text": {"required": _("Please write a comment.")}}

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Please write a comment."))
        return text


class ReplyForm(CommentForm):
    class Meta(CommentForm.Meta):
        labels = {"text": _("Your reply")}


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for hiding"),
        max_length=500,
        help_text=_("Shown in place of the comment and kept in the moderation log."),
        error_messages={"required": _("Please give a reason.")},
    )


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["frequency"]
        widgets = {"frequency": forms.RadioSelect}
