"""Forms of the strategy: the four edit forms (versioned), the overview filters and the import."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.editing import VersionedForm

from .models import FieldOfAction, Goal, Measure, Milestone, OrgUnit


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class CodeUniqueInParentMixin:
    """A clear German error beside the code when the parent already has an item with this code."""

    parent_field = ""

    def __init__(self, *args, parent=None, **kwargs):
        super().__init__(*args, **kwargs)
        if parent is not None:
            setattr(self.instance, self.parent_field, parent)

    def clean_code(self):
        code = " ".join(self.cleaned_data["code"].split())
        model = self._meta.model
        siblings = model._default_manager.filter(
            **{f"{self.parent_field}_id": getattr(self.instance, f"{self.parent_field}_id")}
        )
        if siblings.filter(code__iexact=code).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("The code %(code)s is already used here."), params={"code": code}
            )
        return code


class FieldOfActionForm(VersionedForm):
    class Meta:
        model = FieldOfAction
        fields = ["code", "title", "description", "lead_unit"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, parent=None, **kwargs):
        super().__init__(*args, **kwargs)

    def clean_code(self):
        code = " ".join(self.cleaned_data["code"].split())
        others = FieldOfAction.objects.filter(code__iexact=code).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(
                _("The code %(code)s is already used here."), params={"code": code}
            )
        return code


class GoalForm(CodeUniqueInParentMixin, VersionedForm):
    parent_field = "field"

    class Meta:
        model = Goal
        fields = [
            "code",
            "title",
            "description",
            "indicator",
            "indicator_unit",
            "baseline",
            "target_value",
            "target_date",
            "owner_unit",
            "status",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), "target_date": DateInput}


class MeasureForm(CodeUniqueInParentMixin, VersionedForm):
    parent_field = "goal"

    class Meta:
        model = Measure
        fields = [
            "code",
            "title",
            "description",
            "lead_unit",
            "partners",
            "priority",
            "lifecycle",
            "traffic_light",
            "progress",
            "weight",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "planned_start": DateInput,
            "planned_end": DateInput,
            "actual_start": DateInput,
            "actual_end": DateInput,
            "progress": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
        }


class MilestoneForm(VersionedForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_date", "done_on"]
        widgets = {"due_date": DateInput, "done_on": DateInput}

    def __init__(self, *args, parent=None, **kwargs):
        super().__init__(*args, **kwargs)
        if parent is not None:
            self.instance.measure = parent


FORMS = {
    FieldOfAction: FieldOfActionForm,
    Goal: GoalForm,
    Measure: MeasureForm,
    Milestone: MilestoneForm,
}


class OverviewFilterForm(forms.Form):
    """Filters of the overview; every field optional, invalid values are ignored."""

    q = forms.CharField(label=_("Search code or title"), required=False, max_length=100)
    field = forms.ModelChoiceField(
        label=_("Field of action"),
        queryset=FieldOfAction.objects.all(),
        required=False,
        empty_label=_("all"),
    )
    unit = forms.ModelChoiceField(
        label=_("Lead unit"), queryset=OrgUnit.objects.all(), required=False, empty_label=_("all")
    )
    lifecycle = forms.ChoiceField(
        label=_("Lifecycle"),
        choices=[("", _("all"))] + list(Measure.Lifecycle.choices),
        required=False,
    )
    light = forms.ChoiceField(
        label=_("Traffic light"),
        choices=[("", _("all"))] + list(Measure.TrafficLight.choices),
        required=False,
    )
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)
    archived = forms.BooleanField(label=_("Show archived"), required=False)

    def is_filtering(self):
        """A filter on the measures (showing archived items too is not one)."""
        return self.is_valid() and any(v for k, v in self.cleaned_data.items() if k != "archived")

    def show_archived(self):
        return self.is_valid() and bool(self.cleaned_data.get("archived"))

    def filter_measures(self, measures, today):
        data = self.cleaned_data
        if data.get("q"):
            measures = measures.search(data["q"])
        if data.get("field"):
            measures = measures.filter(goal__field=data["field"])
        if data.get("unit"):
            measures = measures.filter(lead_unit=data["unit"])
        if data.get("lifecycle"):
            measures = measures.filter(lifecycle=data["lifecycle"])
        if data.get("light"):
            measures = measures.filter(traffic_light=data["light"])
        if data.get("overdue"):
            measures = measures.filter(
                Q(pk__in=Measure.objects.overdue(today).values("pk"))
                | Q(pk__in=Milestone.objects.overdue(today).values("measure_id"))
            )
        return measures


class ArchiveReasonForm(forms.Form):
    """The reason given when an item others depend on is archived (kept in its history)."""

    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded with the archiving, e.g. the council decision."),
    )


MAX_IMPORT_BYTES = 2 * 1024 * 1024  # an export of 1 200 measures is about 300 kB


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_("A file exported here, with progress, traffic light or dates changed."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Please upload a CSV or XLSX file."))
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return upload
