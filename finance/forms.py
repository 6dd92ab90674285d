"""Forms of the finance app: the three edit forms (versioned), the plan period and the plan filter."""

from decimal import Decimal

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from core.editing import VersionedForm
from core.widgets import GroupedCheckboxSelectMultiple
from schools_wg.models import School
from strategy.models import FieldOfAction, Measure

from .models import (
    CATEGORY_CHOICES,
    BudgetLine,
    CostItem,
    FundingSource,
    PlanPeriod,
    _not_negative,
    _not_too_large,
)
from .scenario import CATEGORIES


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class YearInput(forms.NumberInput):
    def __init__(self, attrs=None):
        super().__init__({"min": 1900, "max": 2200, "step": 1, **(attrs or {})})


def _money_input():
    return forms.NumberInput(
        attrs={
            "min": 0,
            "step": "0.01",
            "inputmode": "decimal",
        }
    )


class CostItemForm(VersionedForm):
    class Meta:
        model = CostItem
        fields = [
            "measure",
            "school",
            "title",
            "category",
            "kind",
            "amount",
            "recurrence",
            "start_year",
            "end_year",
            "useful_life",
            "replace",
            "escalation_pct",
            "notes",
            "key",
        ]
        widgets = {
            "amount": _money_input(),
            "start_year": YearInput,
            "end_year": YearInput,
            "notes": forms.Textarea(attrs={"rows": 3}),
            "escalation_pct": forms.NumberInput(attrs={"step": "0.1"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Archived measures are not offered, except the one the item already belongs to.
        offered = Measure.objects.active()
        if self.instance.measure_id:
            offered = offered | Measure.objects.filter(pk=self.instance.measure_id)
        self.fields["measure"].queryset = offered.order_by(
            "goal__field__position", "goal__position", "position", "code"
        )
        self.fields["school"].queryset = School.objects.all()
        # The key is derived (derive_item_key); type one only to keep a scenario file's id.
        self.fields["key"].required = False
        self.fields["key"].help_text = _(
            "Left empty, it is derived from the measure and the category (e.g. m-2-1-3-hardware)."
        )

    def clean(self):
        cleaned = super().clean()
        measure, category = cleaned.get("measure"), cleaned.get("category")
        if not cleaned.get("key") and "key" not in self.errors and measure and category:
            cleaned["key"] = derive_item_key(measure, category, exclude_pk=self.instance.pk)
        elif not cleaned.get("key") and "key" not in self.errors:
            self.add_error("key", _("Choose a measure and a category, or enter a key."))
        return cleaned


def derive_item_key(measure, category, exclude_pk=None):
    """A unique cost item key from the measure code and the category: "m-2-1-3-hardware", then
    "m-2-1-3-hardware-2", ... (one query)."""
    base = slugify(f"{measure.code.replace('.', '-')} {category}")[:72].strip("-")
    taken = set(
        CostItem.objects.filter(key__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("key", flat=True)
    )
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def _item_group(item):
    """The heading a cost item is listed under in the programme's item picker."""
    measure = item.measure
    return f"{measure.goal.field.code} · {measure.code} {measure.title}"


class FundingSourceForm(VersionedForm):
    eligible_categories = forms.MultipleChoiceField(
        label=_("Eligible categories"),
        choices=CATEGORY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only read when the programme funds the selected categories only."),
    )

    class Meta:
        model = FundingSource
        fields = [
            "key",
            "title",
            "programme",
            "provider",
            "status",
            "file_number",
            "application_deadline",
            "proof_of_use_deadline",
            "rate_pct",
            "from_year",
            "to_year",
            "cap",
            "category_scope",
            "eligible_categories",
            "item_scope",
            "items",
            "priority",
        ]
        widgets = {
            "application_deadline": DateInput,
            "proof_of_use_deadline": DateInput,
            "rate_pct": forms.NumberInput(attrs={"min": 0, "max": 100, "step": "0.1"}),
            "from_year": YearInput,
            "to_year": YearInput,
            "cap": _money_input(),
            "items": GroupedCheckboxSelectMultiple(group_by=_item_group),
            "category_scope": forms.RadioSelect,
            "item_scope": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = CostItem.objects.select_related(
            "measure__goal__field"
        ).order_by(
            "measure__goal__field__position",
            "measure__goal__position",
            "measure__position",
            "title",
            "key",
        )
        caps = self.instance.category_caps or {}
        self.cap_field_names = []
        for code, label in CATEGORIES.items():
            name = f"cap_{code}"
            self.fields[name] = forms.DecimalField(
                label=label,
                required=False,
                # The model's validators: the same German messages as every other amount.
                validators=[_not_negative, _not_too_large],
                max_digits=15,
                decimal_places=2,
                widget=_money_input(),
            )
            if code in caps and not self.is_bound:
                self.initial[name] = Decimal(str(caps[code]))
            self.cap_field_names.append(name)

    def cap_fields(self):
        return [self[name] for name in self.cap_field_names]

    def main_fields(self):
        return [f for f in self.visible_fields() if f.name not in self.cap_field_names]

    def clean(self):
        data = super().clean()
        # Scopes are explicit: "only the selected" needs a choice; "all" keeps no stale choice.
        selected = FundingSource.Scope.SELECTED
        if data.get("category_scope") == selected and not data.get("eligible_categories"):
            self.add_error(
                "eligible_categories",
                _("Please choose at least one category, or fund all eligible categories."),
            )
        elif data.get("category_scope") == FundingSource.Scope.ALL:
            data["eligible_categories"] = []
        if data.get("item_scope") == selected and not data.get("items"):
            self.add_error(
                "items",
                _("Please choose at least one cost item, or fund all eligible cost items."),
            )
        elif data.get("item_scope") == FundingSource.Scope.ALL:
            data["items"] = CostItem.objects.none()
        # A value of the model (in `changes()`) and on the instance, for the model's clean().
        data["category_caps"] = self.instance.category_caps = {
            code: str(data[f"cap_{code}"])
            for code in CATEGORIES
            if data.get(f"cap_{code}") is not None
        }
        return data


class BudgetLineForm(VersionedForm):
    class Meta:
        model = BudgetLine
        fields = ["year", "amount", "account", "title"]
        widgets = {"year": YearInput, "amount": _money_input()}


class PlanPeriodForm(VersionedForm):
    class Meta:
        model = PlanPeriod
        fields = ["first_year", "last_year"]
        widgets = {"first_year": YearInput, "last_year": YearInput}


class PlanFilterForm(forms.Form):
    """Which part of the strategy the plan shows; every field optional, invalid values ignored."""

    field = forms.ModelChoiceField(
        label=_("Field of action"), queryset=FieldOfAction.objects.all(), required=False
    )
    measure = forms.ModelChoiceField(
        label=_("Measure"),
        queryset=Measure.objects.filter(cost_items__isnull=False),
        required=False,
    )
    school = forms.ModelChoiceField(
        label=_("School"), queryset=School.objects.all(), required=False
    )
    source = forms.ModelChoiceField(
        label=_("Funding source"), queryset=FundingSource.objects.all(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = (
            Measure.objects.filter(cost_items__isnull=False)
            .distinct()
            .order_by("goal__field__position", "goal__position", "position", "code")
        )
        self.fields["field"].empty_label = _("all")
        self.fields["measure"].empty_label = _("all")
        self.fields["school"].empty_label = _("all")
        self.fields["source"].empty_label = _("all")

    def filters(self):
        if not self.is_bound or not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value is not None}
