from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ReportJob

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

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"reporting_date": timezone.localdate().isoformat()})
        super().__init__(*args, **kwargs)

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
