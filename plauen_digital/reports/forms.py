from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.editing import VersionedForm
from strategy.models import OrgUnit

from .models import CommitteeDate, ProcessPhase, ReportJob

DATE_WIDGET = forms.DateInput(
    attrs={"type": "date", "class": "kern-form-input__input"}, format="%Y-%m-%d"
)
DATETIME_WIDGET = forms.DateTimeInput(
    attrs={"type": "datetime-local", "class": "kern-form-input__input"}, format="%Y-%m-%dT%H:%M"
)
TEXTAREA_CLASS = "kern-form-input__input kern-form-input__textarea"

# A status report states today's figures; a date before this is a typing error (0001-01-01).
EARLIEST_REPORTING_DATE = date(2000, 1, 1)


class ReportRequestForm(forms.Form):
    reporting_date = forms.DateField(
        label=_("Reporting date"),
        help_text=_("The date the report states the figures for (Stand), e.g. 15.12.2026."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=200,
        help_text=_("Leave empty for the standard title."),
    )

    coordination = forms.CharField(
        label=_("Coordination"),
        required=False,
        max_length=300,
        help_text=_("Who coordinates the strategy, e.g. Koordinator Digitalisierung, Hauptamt."),
        widget=forms.TextInput(attrs={"class": "kern-form-input__input"}),
    )
    approach_text = forms.CharField(
        label=_("Notes on the approach and participation"),
        required=False,
        max_length=20000,
        help_text=_(
            "Printed at the end of the chapter “Approach and participation”. Plain text: an "
            "empty line starts a new paragraph, a line beginning with “- ” is a list item. "
            "No HTML. Prefilled from the previous report."
        ),
        widget=forms.Textarea(attrs={"class": TEXTAREA_CLASS, "rows": 8}),
    )
    CHAPTER_FIELDS = ("coordination", "approach_text")

    def __init__(self, *args, can_write_chapter=False, **kwargs):
        from .services import previous_texts

        initial = {"reporting_date": timezone.localdate().isoformat()}
        if can_write_chapter:
            initial.update(previous_texts())
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        if not can_write_chapter:
            # Only the Verwaltung writes the chapter; other requesters reuse the last text.
            for name in self.CHAPTER_FIELDS:
                del self.fields[name]

    def chapter_texts(self) -> dict:
        """The chapter texts to save with the job (None: as in the previous report)."""
        return {name: self.cleaned_data.get(name) for name in self.CHAPTER_FIELDS}

    def clean_reporting_date(self):
        value = self.cleaned_data["reporting_date"]
        if value > timezone.localdate() + timedelta(days=366):
            raise forms.ValidationError(_("The reporting date may be at most a year ahead."))
        if value < EARLIEST_REPORTING_DATE:
            raise forms.ValidationError(_("The reporting date may not be before the year 2000."))
        return value


class CompareForm(forms.Form):
    """Two finished reports to compare; the older one first."""

    older = forms.ModelChoiceField(queryset=ReportJob.objects.none(), label=_("Earlier report"))
    newer = forms.ModelChoiceField(queryset=ReportJob.objects.none(), label=_("Later report"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        done = ReportJob.objects.done().newest_first()
        for name in ("older", "newer"):
            self.fields[name].queryset = done

    def clean(self):
        cleaned = super().clean()
        older, newer = cleaned.get("older"), cleaned.get("newer")
        if older and newer and older.pk == newer.pk:
            self.add_error("newer", _("Choose two different reports."))
        return cleaned


class ProcessPhaseForm(VersionedForm):
    class Meta:
        model = ProcessPhase
        fields = ["title", "starts_on", "ends_on", "responsible", "description"]
        widgets = {
            "starts_on": DATE_WIDGET,
            "ends_on": DATE_WIDGET,
            "title": forms.TextInput(attrs={"class": "kern-form-input__input"}),
            "responsible": forms.Select(attrs={"class": "kern-form-input__select"}),
            "description": forms.Textarea(attrs={"class": TEXTAREA_CLASS, "rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = OrgUnit.objects.order_by("name")


class CommitteeDateForm(VersionedForm):
    class Meta:
        model = CommitteeDate
        fields = ["body", "meets_at", "subject", "purpose"]
        widgets = {
            "meets_at": DATETIME_WIDGET,
            "body": forms.TextInput(attrs={"class": "kern-form-input__input"}),
            "subject": forms.TextInput(attrs={"class": "kern-form-input__input"}),
            "purpose": forms.Select(attrs={"class": "kern-form-input__select"}),
        }
        help_texts = {"meets_at": _("Date and time, e.g. 15.12.2026 17:00.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meets_at"].input_formats = ["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M"]
