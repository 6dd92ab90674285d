"""The strategy tree: Handlungsfeld → Ziel → Maßnahme → Meilenstein, with org units.

Codes ("HF 2" → "Z 2.1" → "M 2.1.3") are unique within their parent; siblings are ordered by
`position`. Every model keeps its history (django-simple-history); the four tree models are
edited in the browser and therefore versioned against lost updates (core.editing).
Reads live in strategy/querysets.py, writes with side effects in strategy/services.py.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.calendars import SecretFeed, new_feed_token  # noqa: F401 (old migrations name it here)
from core.editing import VersionedModel

from .querysets import FieldOfActionQuerySet, GoalQuerySet, MeasureQuerySet, MilestoneQuerySet


class OrgUnit(models.Model):
    """An Amt or Fachbereich of the administration that leads or owns strategy items."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisational unit")
        verbose_name_plural = _("organisational units")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Archivable(models.Model):
    """Archive lifecycle of a field, goal or measure that others depend on.

    Items with council records, costs or working-group links are archived instead of deleted
    (strategy.services.remove_item): they leave the working views but keep their pages, their
    place in consultation results and reports, and their history. Restoring empties the fields.
    """

    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("archived by"),
    )
    archive_reason = models.TextField(_("reason for archiving"), blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def is_archived(self):
        return self.archived_at is not None

    @property
    def archived_here_or_above(self):
        """Archived itself or through a parent (goals and measures extend this)."""
        return self.is_archived


class FieldOfAction(Archivable, VersionedModel):
    """Handlungsfeld, e.g. "HF 2 Digitale Schule"."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    lead_unit = models.ForeignKey(
        OrgUnit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="fields_led",
        verbose_name=_("lead unit"),
    )
    position = models.PositiveIntegerField(_("position"), default=0, editable=False)
    history = HistoricalRecords()

    objects = FieldOfActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("field of action")
        verbose_name_plural = _("fields of action")
        ordering = ["position", "code"]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse("strategy:field_detail", kwargs={"pk": self.pk})


class Goal(Archivable, VersionedModel):
    """Ziel with a measurable indicator and a target date."""

    class Status(models.TextChoices):
        ON_TRACK = "on_track", _("on track")
        AT_RISK = "at_risk", _("at risk")
        OFF_TRACK = "off_track", _("off track")
        ACHIEVED = "achieved", _("achieved")
        NOT_ASSESSED = "not_assessed", _("not assessed")

    field = models.ForeignKey(
        FieldOfAction, models.CASCADE, related_name="goals", verbose_name=_("field of action")
    )
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    indicator = models.CharField(_("indicator"), max_length=300, blank=True)
    indicator_unit = models.CharField(_("unit"), max_length=50, blank=True)
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target_value = models.DecimalField(
        _("target value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    owner_unit = models.ForeignKey(
        OrgUnit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="goals_owned",
        verbose_name=_("responsible unit"),
    )
    status = models.CharField(
        _("assessment"), max_length=20, choices=Status.choices, default=Status.NOT_ASSESSED
    )
    position = models.PositiveIntegerField(_("position"), default=0, editable=False)
    history = HistoricalRecords()

    objects = GoalQuerySet.as_manager()

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["field__position", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["field", "code"], name="goal_code_unique_in_field")
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse("strategy:goal_detail", kwargs={"pk": self.pk})

    @property
    def archived_here_or_above(self):
        """Archived itself or through its field."""
        return self.is_archived or self.field.is_archived


class Measure(Archivable, VersionedModel):
    """Maßnahme: the unit of work that has dates, a lifecycle, a traffic light and costs."""

    class Priority(models.TextChoices):
        HIGH = "high", _("high")
        MEDIUM = "medium", _("medium")
        LOW = "low", _("low")

    class Lifecycle(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        COMPLETED = "completed", _("completed")
        CANCELLED = "cancelled", _("cancelled")
        DEFERRED = "deferred", _("deferred")

    class TrafficLight(models.TextChoices):
        GREEN = "green", _("green")
        YELLOW = "yellow", _("yellow")
        RED = "red", _("red")
        NOT_RATED = "not_rated", _("not rated")

    # A measure in one of these states has no open deadline any more.
    CLOSED = (Lifecycle.COMPLETED, Lifecycle.CANCELLED)

    goal = models.ForeignKey(Goal, models.CASCADE, related_name="measures", verbose_name=_("goal"))
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    lead_unit = models.ForeignKey(
        OrgUnit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="measures_led",
        verbose_name=_("lead unit"),
    )
    partners = models.CharField(_("partners"), max_length=300, blank=True)
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    lifecycle = models.CharField(
        _("lifecycle"), max_length=20, choices=Lifecycle.choices, default=Lifecycle.PLANNED
    )
    traffic_light = models.CharField(
        _("traffic light"),
        max_length=10,
        choices=TrafficLight.choices,
        default=TrafficLight.NOT_RATED,
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Weight of this measure in its goal's progress."),
    )
    position = models.PositiveIntegerField(_("position"), default=0, editable=False)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
    history = HistoricalRecords()

    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["goal__field__position", "goal__position", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "code"], name="measure_code_unique_in_goal"),
            models.CheckConstraint(
                condition=models.Q(progress__gte=0) & models.Q(progress__lte=100),
                name="measure_progress_0_100",
            ),
            models.CheckConstraint(
                condition=models.Q(planned_end__isnull=True)
                | models.Q(planned_start__isnull=True)
                | models.Q(planned_end__gte=models.F("planned_start")),
                name="measure_planned_end_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(actual_end__isnull=True)
                | models.Q(actual_start__isnull=True)
                | models.Q(actual_end__gte=models.F("actual_start")),
                name="measure_actual_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse("strategy:measure_detail", kwargs={"pk": self.pk})

    @property
    def archived_here_or_above(self):
        """Archived itself or through its goal or field."""
        return self.is_archived or self.goal.archived_here_or_above

    def clean(self):
        errors = {}
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = _("The planned end must not be before the planned start.")
        if self.actual_start and self.actual_end and self.actual_end < self.actual_start:
            errors["actual_end"] = _("The actual end must not be before the actual start.")
        if self.lifecycle == self.Lifecycle.COMPLETED and self.progress != 100:
            errors["progress"] = _("A completed measure has a progress of 100 %.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_closed(self):
        return self.lifecycle in self.CLOSED

    @property
    def end_date(self):
        """The date the measure ends: its actual end if known, else its planned end."""
        return self.actual_end or self.planned_end

    def is_overdue(self, today):
        """Not completed or cancelled, and its planned end has passed."""
        return not self.is_closed and self.planned_end is not None and self.planned_end < today


class Milestone(VersionedModel):
    """Meilenstein of a measure: due on a date, done on another (or not yet).

    Milestones are listed chronologically (by due date), so they have no manual order.
    """

    measure = models.ForeignKey(
        Measure, models.CASCADE, related_name="milestones", verbose_name=_("measure")
    )
    title = models.CharField(_("title"), max_length=300)
    due_date = models.DateField(_("due date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )
    history = HistoricalRecords()

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_date", "position", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("strategy:measure_detail", kwargs={"pk": self.measure_id}) + (
            f"#milestone-{self.pk}"
        )

    def is_overdue(self, today):
        return self.done_on is None and self.due_date < today

    @property
    def outside_measure_period(self):
        """True when the due date lies outside its measure's planned period (shown as a warning)."""
        measure = self.measure
        if measure.planned_start and self.due_date < measure.planned_start:
            return True
        return bool(measure.planned_end and self.due_date > measure.planned_end)


class DeadlineFeed(SecretFeed):
    """A person's secret address of the deadline calendar (for calendar programs, which cannot
    log in); deleting the row revokes it. It works only while the person may read the strategy."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="strategy_deadline_feed",
        verbose_name=_("person"),
    )

    class Meta:
        verbose_name = _("deadline calendar address")
        verbose_name_plural = _("deadline calendar addresses")

    def serves(self) -> bool:
        return self.user.has_perm("strategy.view")
