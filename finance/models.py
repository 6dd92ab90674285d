"""Cost items, funding sources and budget lines: the inputs of the funding plan (engine.py).

The database stores what the Verwaltung enters; finance/adapter.py turns it into an engine
`Scenario` (keys become the engine ids). Every model is versioned against lost updates
(core.editing) and keeps its history. Validation messages are German through the
app's catalogue; `clean()` checks what crosses fields (years in order, caps per category).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.editing import VersionedModel

from .querysets import BudgetLineQuerySet, CostItemQuerySet, FundingSourceQuerySet
from .scenario import CATEGORIES, MAX_AMOUNT, MAX_PLAN_YEARS, YEAR_RANGE

CATEGORY_CHOICES = list(CATEGORIES.items())
# Money: up to MAX_AMOUNT (10^12) with cents; percentages with up to three decimals.
MONEY = {"max_digits": 15, "decimal_places": 2}
PERCENT = {"max_digits": 6, "decimal_places": 3}

_not_negative = MinValueValidator(Decimal(0), message=_("The amount must not be negative."))
_not_too_large = MaxValueValidator(MAX_AMOUNT, message=_("The amount is implausibly large."))
_year_validators = [
    MinValueValidator(YEAR_RANGE[0], message=_("Please enter a year between 1900 and 2200.")),
    MaxValueValidator(YEAR_RANGE[1], message=_("Please enter a year between 1900 and 2200.")),
]
_rate_validators = [
    MinValueValidator(Decimal(0), message=_("The rate must be between 0 and 100 percent.")),
    MaxValueValidator(Decimal(100), message=_("The rate must be between 0 and 100 percent.")),
]
_escalation_validators = [
    MinValueValidator(
        Decimal(-100), message=_("The price increase must be between -100 and 100 percent.")
    ),
    MaxValueValidator(
        Decimal(100), message=_("The price increase must be between -100 and 100 percent.")
    ),
]


def _year_field(verbose_name, **kwargs):
    return models.PositiveSmallIntegerField(verbose_name, validators=_year_validators, **kwargs)


class CostItem(VersionedModel):
    """Kostenposition: an investment (`once`) or a running cost (`annual`) of a measure."""

    class Kind(models.TextChoices):
        INVESTIVE = "investiv", _("capital expenditure (investiv)")
        CONSUMPTIVE = "konsumtiv", _("current expenditure (konsumtiv)")

    class Recurrence(models.TextChoices):
        ONCE = "once", _("one-off")
        ANNUAL = "annual", _("annual")

    measure = models.ForeignKey(
        "strategy.Measure", models.PROTECT, related_name="cost_items", verbose_name=_("measure")
    )
    school = models.ForeignKey(
        "schools_wg.School",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="cost_items",
        verbose_name=_("school"),
    )
    key = models.SlugField(
        _("key"),
        max_length=80,
        unique=True,
        help_text=_("Short unique key, e.g. tablets-gs-reusa (used in scenario files)."),
    )
    title = models.CharField(_("title"), max_length=300)
    notes = models.TextField(_("notes"), blank=True)
    category = models.CharField(_("category"), max_length=20, choices=CATEGORY_CHOICES)
    kind = models.CharField(
        _("budget type"), max_length=10, choices=Kind.choices, default=Kind.INVESTIVE
    )
    amount = models.DecimalField(
        _("amount (€)"),
        **MONEY,
        validators=[_not_negative, _not_too_large],
        help_text=_("At start-year prices: one purchase (one-off) or one year (annual)."),
    )
    start_year = _year_field(_("start year"))
    recurrence = models.CharField(
        _("recurrence"), max_length=10, choices=Recurrence.choices, default=Recurrence.ONCE
    )
    end_year = _year_field(
        _("end year"),
        null=True,
        blank=True,
        help_text=_("Annual: last year paid. One-off: no replacement after this year."),
    )
    useful_life = models.PositiveSmallIntegerField(
        _("useful life (years)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1, message=_("The useful life is at least 1 year."))],
    )
    replace = models.BooleanField(
        _("replaced after its useful life"),
        default=False,
        help_text=_("One-off items only: bought again every useful life."),
    )
    escalation_pct = models.DecimalField(
        _("yearly price increase (%)"),
        **PERCENT,
        default=Decimal(0),
        validators=_escalation_validators,
    )
    history = HistoricalRecords()

    objects = CostItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("cost item")
        verbose_name_plural = _("cost items")
        ordering = ["start_year", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="finance_costitem_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(end_year__isnull=True)
                | models.Q(end_year__gte=models.F("start_year")),
                name="finance_costitem_end_after_start",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("finance:item_detail", kwargs={"pk": self.pk})

    def clean(self):
        errors = {}
        if self.start_year and self.end_year and self.end_year < self.start_year:
            errors["end_year"] = _("The end year must not be before the start year.")
        if self.recurrence == self.Recurrence.ANNUAL:
            if self.useful_life:
                errors["useful_life"] = _("Only one-off items have a useful life.")
            if self.replace:
                errors["replace"] = _("Only one-off items are replaced.")
        elif self.replace and not self.useful_life:
            errors["useful_life"] = _("Please enter the useful life after which it is replaced.")
        if errors:
            raise ValidationError(errors)


class Scope(models.TextChoices):
    """What a programme funds: everything eligible, or only what was chosen.

    Explicit, so that an empty choice never turns into "everything": a programme limited to
    some items (or categories) whose chosen items disappear funds nothing until someone chooses.
    """

    ALL = "all", _("all eligible")
    SELECTED = "selected", _("only the selected ones")


class FundingSource(VersionedModel):
    """Förderprogramm: pays `rate_pct` % of eligible costs in its years, up to its caps."""

    Scope = Scope

    class Provider(models.TextChoices):
        FEDERAL = "bund", _("Federal government (Bund)")
        STATE = "land", _("State (Land)")
        EU = "eu", _("European Union")
        MUNICIPAL = "kommune", _("Municipality (Kommune)")

    class Status(models.TextChoices):
        APPLIED = "beantragt", _("applied for")
        APPROVED = "bewilligt", _("approved")
        SETTLED = "abgerechnet", _("settled")

    key = models.SlugField(
        _("key"), max_length=80, unique=True, help_text=_("Short unique key, e.g. digitalpakt.")
    )
    title = models.CharField(_("title"), max_length=300)
    programme = models.CharField(_("programme"), max_length=300, blank=True)
    provider = models.CharField(
        _("provider"), max_length=10, choices=Provider.choices, default=Provider.STATE
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.APPLIED
    )
    file_number = models.CharField(_("file number (Aktenzeichen)"), max_length=100, blank=True)
    application_deadline = models.DateField(_("application deadline"), null=True, blank=True)
    proof_of_use_deadline = models.DateField(
        _("proof of use due (Verwendungsnachweis)"), null=True, blank=True
    )
    rate_pct = models.DecimalField(_("funding rate (%)"), **PERCENT, validators=_rate_validators)
    category_scope = models.CharField(
        _("categories funded"), max_length=10, choices=Scope.choices, default=Scope.ALL
    )
    eligible_categories = models.JSONField(
        _("eligible categories"),
        default=list,
        blank=True,
        help_text=_("Read only when the programme funds the selected categories only."),
    )
    item_scope = models.CharField(
        _("cost items funded"), max_length=10, choices=Scope.choices, default=Scope.ALL
    )
    items = models.ManyToManyField(
        CostItem,
        blank=True,
        related_name="funding_sources",
        verbose_name=_("only these cost items"),
        help_text=_("Read only when the programme funds the selected cost items only."),
    )
    from_year = _year_field(_("eligible from year"))
    to_year = _year_field(_("eligible until year"))
    cap = models.DecimalField(
        _("maximum grant (€)"),
        **MONEY,
        null=True,
        blank=True,
        validators=[_not_negative, _not_too_large],
        help_text=_("The most it pays in total over all years; empty: no maximum."),
    )
    category_caps = models.JSONField(
        _("maximum eligible cost per category"),
        default=dict,
        blank=True,
        help_text=_("Per category, the most eligible cost it accepts over all years."),
    )
    priority = models.IntegerField(
        _("priority"), default=0, help_text=_("Sources are applied in ascending priority.")
    )
    history = HistoricalRecords(m2m_fields=[items])

    objects = FundingSourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")
        ordering = ["priority", "key"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rate_pct__gte=0) & models.Q(rate_pct__lte=100),
                name="finance_source_rate_0_100",
            ),
            models.CheckConstraint(
                condition=models.Q(to_year__gte=models.F("from_year")),
                name="finance_source_years_in_order",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("finance:source_detail", kwargs={"pk": self.pk})

    def clean(self):
        errors = {}
        if self.from_year and self.to_year and self.to_year < self.from_year:
            errors["to_year"] = _("The last eligible year must not be before the first.")
        categories = self.eligible_categories
        if not isinstance(categories, list) or any(c not in CATEGORIES for c in categories):
            errors["eligible_categories"] = _("Please choose only known categories.")
        caps = self.category_caps
        if not isinstance(caps, dict):
            errors["category_caps"] = _("Please enter one amount per category.")
        else:
            for category, value in caps.items():
                if category not in CATEGORIES:
                    errors["category_caps"] = _("Please choose only known categories.")
                    break
                try:
                    amount = Decimal(str(value))
                except ArithmeticError:
                    amount = None
                if amount is None or not amount.is_finite() or amount < 0:
                    errors["category_caps"] = _("The amount must not be negative.")
                    break
        if errors:
            raise ValidationError(errors)

    @property
    def funds_all_categories(self):
        return self.category_scope == Scope.ALL

    @property
    def funds_all_items(self):
        return self.item_scope == Scope.ALL

    @property
    def category_labels(self):
        return [CATEGORIES[c] for c in self.eligible_categories if c in CATEGORIES]

    @property
    def category_cap_rows(self):
        """[(label, Decimal)] of the category caps, in the order of CATEGORIES."""
        caps = self.category_caps or {}
        return [
            (label, Decimal(str(caps[code]))) for code, label in CATEGORIES.items() if code in caps
        ]


class BudgetLine(VersionedModel):
    """Haushaltsansatz: euros earmarked for the strategy in one year; lines of a year add up."""

    year = _year_field(_("year"))
    amount = models.DecimalField(
        _("amount (€)"), **MONEY, validators=[_not_negative, _not_too_large]
    )
    account = models.CharField(
        _("budget account (Haushaltsstelle/Produkt)"), max_length=100, blank=True
    )
    title = models.CharField(_("description"), max_length=300, blank=True)
    history = HistoricalRecords()

    objects = BudgetLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["year", "account", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="finance_budget_amount_not_negative"
            ),
        ]

    def __str__(self):
        label = self.account or self.title or _("budget line")
        return f"{self.year}: {label}"

    def get_absolute_url(self):
        return reverse("finance:budget")


class PlanPeriod(VersionedModel):
    """The years the plan covers (one row). Without it: from the earliest start year for ten years."""

    first_year = _year_field(_("first year"))
    last_year = _year_field(_("last year"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan period")
        verbose_name_plural = _("plan periods")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_year__gte=models.F("first_year")),
                name="finance_period_years_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.first_year}–{self.last_year}"

    def clean(self):
        if self.first_year and self.last_year:
            if self.last_year < self.first_year:
                raise ValidationError(
                    {"last_year": _("The last year must not be before the first year.")}
                )
            if self.last_year - self.first_year >= MAX_PLAN_YEARS:
                raise ValidationError({"last_year": _("The plan covers at most 100 years.")})
