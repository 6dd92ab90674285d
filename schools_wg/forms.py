"""Forms of the working group. Errors are German (msgids English), beside the field."""

import hashlib
from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.editing import VersionedForm
from core.widgets import SearchableSelect
from strategy.models import Goal, Measure

from .models import (
    ActionItem,
    AgendaItem,
    Member,
    School,
    Session,
    validate_school_year,
)

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class PersonChoiceField(forms.ModelChoiceField):
    """Any active account, named with its roles so two people of the same name can be told
    apart ("Rita Rat (rat-a01, Stadtrat)"); the queryset prefetches the groups."""

    widget = SearchableSelect

    def label_from_instance(self, obj):
        roles = ", ".join(obj.role_names)
        name = obj.get_full_name()
        details = ", ".join(part for part in (obj.username if name else "", roles) if part)
        return f"{name or obj.username} ({details})" if details else (name or obj.username)


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.user} ({obj.get_category_display()})"


class MemberForm(VersionedForm):
    """A membership; on creation either an existing person or a new one (name, contact)."""

    user = PersonChoiceField(
        label=_("Existing person"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_(
            "Search by name among everyone who has an account (e.g. a councillor as their "
            "faction's representative), or enter a new person below."
        ),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    deputy_of = MemberChoiceField(
        label=_("deputy of"), queryset=Member.objects.none(), required=False
    )

    class Meta:
        model = Member
        fields = ["category", "organisation", "school", "faction", "deputy_of"]
        fields += ["started_on", "ended_on"]
        widgets = {"started_on": DateInput(), "ended_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy_of"].help_text = Member._meta.get_field("deputy_of").help_text
        self.fields["deputy_of"].queryset = (
            Member.objects.active().select_related("user").exclude(pk=self.instance.pk)
        )
        if self.instance.pk:
            for name in ("user", "first_name", "last_name", "email", "phone"):
                del self.fields[name]
        else:
            # Every active account (councillors, administration, ...) except those who are
            # members today: one open membership per person.
            self.fields["user"].queryset = (
                get_user_model()
                .objects.filter(is_active=True)
                .exclude(pk__in=Member.objects.filter(ended_on__isnull=True).values("user_id"))
                .prefetch_related("groups")
                .order_by("last_name", "first_name", "username")
            )
            # The person comes first in the form.
            order = ["user", "first_name", "last_name", "email", "phone"]
            self.order_fields(order + [f for f in self.fields if f not in order])

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            return cleaned
        user = cleaned.get("user")
        new_person = any(cleaned.get(f) for f in ("first_name", "last_name", "email", "phone"))
        if user and new_person:
            self.add_error("user", _("Choose an existing person or enter a new one, not both."))
        elif not user:
            if not cleaned.get("first_name"):
                self.add_error("first_name", _("Enter the first name of the new person."))
            if not cleaned.get("last_name"):
                self.add_error("last_name", _("Enter the last name of the new person."))
        if cleaned.get("category") == Member.Category.PUPILS:
            for name in ("email", "phone"):
                if cleaned.get(name):
                    self.add_error(name, _("For pupils only name, school and category are stored."))
        return cleaned

    def _post_clean(self):
        # The one-open-membership-per-person constraint needs the user before validation.
        user = self.cleaned_data.get("user")
        if user is not None and not self.instance.pk:
            self.instance.user = user
        super()._post_clean()

    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
        if not self.instance.pk and self.cleaned_data.get("user") is None:
            exclusions.add("user")  # a new person: no membership yet, nothing to collide with
        return exclusions


class SessionForm(VersionedForm):
    class Meta:
        model = Session
        fields = ["title", "starts_at", "ends_at", "place", "online_url", "capacity"]
        fields += ["description"]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = [DATETIME_FORMAT, "%d.%m.%Y %H:%M"]
            self.fields[name].help_text = _("Date and time, Europe/Berlin.")

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The session must end after it starts."))
        return cleaned


class MinutesForm(VersionedForm):
    class Meta:
        model = Session
        fields = ["minutes", "decisions"]
        widgets = {
            "minutes": forms.Textarea(attrs={"rows": 8}),
            "decisions": forms.Textarea(attrs={"rows": 4}),
        }


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "notes", "goal", "measure"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "agenda-%s")  # unique ids beside the other session forms
        super().__init__(*args, **kwargs)
        # Archived strategy items are not offered (strategy: working views only).
        self.fields["goal"].queryset = Goal.objects.active()
        self.fields["measure"].queryset = Measure.objects.active()


class ActionItemForm(forms.ModelForm):
    owner = MemberChoiceField(
        label=_("responsible"), queryset=Member.objects.none(), required=False
    )

    class Meta:
        model = ActionItem
        fields = ["title", "owner", "due_date", "done_on"]
        widgets = {"due_date": DateInput(), "done_on": DateInput()}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "action-%s")  # unique ids beside the other session forms
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Member.objects.active().select_related("user")


class MilestoneForm(forms.Form):
    """Turns one action item into a strategy milestone; one form per row of the table."""

    measure = forms.ModelChoiceField(
        label=_("Strategy measure"),
        queryset=Measure.objects.active(),
        error_messages={
            "required": _("Choose a strategy measure."),
            "invalid_choice": _("Choose a strategy measure."),
        },
    )

    def __init__(self, *args, item, choices=None, **kwargs):
        kwargs.setdefault("auto_id", f"milestone-{item.pk}-%s")
        super().__init__(*args, **kwargs)
        self.item = item
        if choices is not None:  # the rows share one query for the measures
            self.fields["measure"].choices = choices


class AttendanceForm(forms.Form):
    """Who was there: the members active on the session's day and everyone registered."""

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        day = timezone.localtime(session.starts_at).date()
        registered = session.registrations.values("member_id")
        members = Member.objects.active(on=day) | Member.objects.filter(pk__in=registered)
        field = forms.ModelMultipleChoiceField(
            label=_("Who was present?"),
            queryset=members.select_related("user").order_by("user__last_name", "user__first_name"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        field.label_from_instance = lambda m: f"{m.user} ({m.get_category_display()})"
        self.fields["present"] = field
        if not self.is_bound:
            self.initial["present"] = [
                r.member_id for r in session.registrations.all() if r.attended
            ] or [r.member_id for r in session.registrations.all() if r.status == "confirmed"]


def fingerprint(values) -> str:
    """A short digest of the values a form was loaded with (detects edits by someone else)."""
    text = "|".join(f"{key}={value}" for key, value in sorted(values.items(), key=str))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class FingerprintForm(forms.Form):
    """A form over several rows: remembers the rows' state it was loaded with."""

    loaded = forms.CharField(widget=forms.HiddenInput, required=False)
    conflict_message = _(
        "Someone else changed these values while you were editing them. Your input has been "
        "kept; the current values are shown next to it. Please check and save again."
    )


class StandardsForm(FingerprintForm):
    """The minimum standard of every indicator for every school type (one field per cell)."""

    def __init__(self, *args, indicators, standards, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        self.rows = []
        current = {(s.school_type, s.indicator_id): s.threshold for s in standards}
        for indicator in indicators:
            cells = []
            for school_type, type_label in School.SchoolType.choices:
                name = f"std_{indicator.pk}_{school_type}"
                self.fields[name] = forms.DecimalField(
                    label=type_label,  # the indicator is the legend of its fieldset
                    required=False,
                    max_digits=12,
                    decimal_places=2,
                    min_value=Decimal(0),
                    localize=True,
                )
                self.initial[name] = current.get((school_type, indicator.pk))
                cells.append((school_type, name))
            self.rows.append((indicator, cells))
        self.initial["loaded"] = fingerprint(current)

    def values(self):
        """{(school_type, indicator_id): threshold or None} as entered."""
        return {
            (school_type, indicator.pk): self.cleaned_data.get(name)
            for indicator, cells in self.rows
            for school_type, name in cells
        }


class MeasurementsForm(FingerprintForm):
    """A school's value of every indicator in one school year."""

    school_year = forms.CharField(
        label=_("School year"), max_length=7, validators=[validate_school_year]
    )

    def __init__(self, *args, indicators, measurements, school_year, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        self.fields["school_year"].help_text = _("For example 2025/26.")
        self.initial["school_year"] = school_year
        current = {}
        for m in measurements:
            current[m.indicator_id] = m.date_value if m.date_value else m.value
        for indicator in indicators:
            name = f"ind_{indicator.pk}"
            label = f"{indicator.name} ({indicator.unit})" if indicator.unit else indicator.name
            if indicator.is_date:
                field = forms.DateField(label=label, required=False, widget=DateInput())
            else:
                field = forms.DecimalField(
                    label=label,
                    required=False,
                    max_digits=12,
                    decimal_places=2,
                    min_value=Decimal(0),
                    localize=True,
                )
            field.help_text = indicator.get_direction_display()
            self.fields[name] = field
            self.initial[name] = current.get(indicator.pk)
        self.initial["loaded"] = fingerprint(current)

    def values(self):
        return {
            indicator: self.cleaned_data.get(f"ind_{indicator.pk}") for indicator in self.indicators
        }


MAX_CSV_BYTES = 1024 * 1024


class CsvImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Semicolon-separated, UTF-8, at most 1 MB. First row: school;school_year;"
            "then one column per indicator code."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(_("Upload a file ending in .csv."))
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        allowed = {"text/csv", "text/plain", "application/vnd.ms-excel", "application/csv", ""}
        content_type = (upload.content_type or "").split(";")[0].strip().lower()
        if content_type not in allowed:
            raise forms.ValidationError(_("The file is not a CSV file."))
        return upload
