"""The school working group: members, sessions and the parity of the municipality's schools.

There is one working group per instance (the motion asks for one); its members are `Member` rows,
dated, so the group's composition on any day can be read back. Schools (`School`) are the schools
for which the municipality is the Schulträger; their equipment is measured per school year
(`SchoolMeasurement`) against a minimum standard per school type (`ParityStandard`).
"""

import re
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.calendars import SecretFeed, new_feed_token  # noqa: F401 (old migrations name it here)
from core.editing import VersionedModel

from .querysets import (
    MemberQuerySet,
    RegistrationQuerySet,
    SchoolMeasurementQuerySet,
    SessionQuerySet,
)

SCHOOL_YEAR_RE = re.compile(r"^(\d{4})/(\d{2})$")


def validate_school_year(value):
    """A school year is written "2025/26": the second year follows the first."""
    match = SCHOOL_YEAR_RE.match(value or "")
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise ValidationError(_("Enter a school year like 2025/26."), code="invalid_school_year")


def school_year_of(day: date) -> str:
    """The school year a day falls in; it starts on 1 August ("2025/26" from 1.8.2025)."""
    start = day.year if day.month >= 8 else day.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def school_year_end(school_year: str) -> date:
    """The last day of a school year (31 July of its second calendar year)."""
    return date(int(school_year[:4]) + 1, 7, 31)


class School(models.Model):
    """A school for which the municipality is the Schulträger."""

    class SchoolType(models.TextChoices):
        GS = "GS", _("Primary school")
        OS = "OS", _("Secondary school (Oberschule)")
        GYM = "GYM", _("Grammar school (Gymnasium)")
        FOES = "FÖS", _("Special needs school")

    name = models.CharField(_("name"), max_length=200, unique=True)
    school_type = models.CharField(_("school type"), max_length=3, choices=SchoolType.choices)
    pupils = models.PositiveIntegerField(_("pupils"), default=0)
    classes = models.PositiveIntegerField(_("classes"), default=0)
    classrooms = models.PositiveIntegerField(
        _("classrooms"), default=0, validators=[MinValueValidator(0)]
    )
    district = models.CharField(_("district"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["school_type", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("schools_wg:school_detail", kwargs={"pk": self.pk})


class Member(VersionedModel):
    """A person's dated membership in the working group, in one category of the motion."""

    class Category(models.TextChoices):
        PUPILS = "pupils", _("District pupils' council")
        PARENTS = "parents", _("Parents")
        TEACHERS = "teachers", _("Teachers")
        SUPPORT_ASSOCIATION = "support_association", _("School support association")
        COMPANY_ASSOCIATION = "company_association", _("Company/association")
        COORDINATOR = "coordinator", _("Digitalisation coordinator")
        FACTION = "faction", _("Faction representative")
        ADMINISTRATION = "administration", pgettext_lazy("membership category", "Administration")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="wg_memberships",
        verbose_name=_("person"),
    )
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    organisation = models.CharField(
        _("organisation"),
        max_length=200,
        blank=True,
        help_text=_("The body, association or company the person comes from."),
    )
    school = models.ForeignKey(
        School,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="wg_members",
        verbose_name=_("school"),
    )
    faction = models.ForeignKey(
        "participation.Faction",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="wg_representatives",
        verbose_name=_("faction"),
    )
    deputy_of = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="deputies",
        verbose_name=_("deputy of"),
        help_text=_("Fill in if this person is the deputy (Stellvertretung) of another member."),
    )
    started_on = models.DateField(_("member from"), default=timezone.localdate)
    ended_on = models.DateField(_("member until"), null=True, blank=True)
    history = HistoricalRecords()

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["category", "user__last_name", "user__first_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="wg_member_ends_after_start",
                violation_error_message=_(
                    "The end of the membership must not be before its start."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(category="faction") & Q(faction__isnull=False))
                | (~Q(category="faction") & Q(faction__isnull=True)),
                name="wg_member_faction_iff_faction_category",
                violation_error_message=_(
                    "A faction is required for faction representatives and only for them."
                ),
            ),
            models.UniqueConstraint(
                fields=["faction"],
                condition=Q(category="faction", deputy_of__isnull=True, ended_on__isnull=True),
                name="wg_one_open_representative_per_faction",
                violation_error_message=_("This faction already has an active representative."),
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(ended_on__isnull=True),
                name="wg_one_open_membership_per_person",
                violation_error_message=_("This person is already an active member."),
            ),
        ]

    def __str__(self):
        return str(self.user)

    @property
    def is_pupil(self):
        return self.category == self.Category.PUPILS

    def is_active_on(self, day: date) -> bool:
        return self.started_on <= day and (self.ended_on is None or self.ended_on >= day)

    def overlaps(self, other: "Member") -> bool:
        """Whether two dated memberships share at least one day."""
        far = date.max
        return self.started_on <= (other.ended_on or far) and other.started_on <= (
            self.ended_on or far
        )

    def clean(self):
        super().clean()
        errors = {}
        if self.category == self.Category.FACTION and not self.faction_id:
            errors["faction"] = _("Choose the faction this person represents.")
        if self.category != self.Category.FACTION and self.faction_id:
            errors["faction"] = _("Only faction representatives are linked to a faction.")
        if self.is_pupil and self.organisation:
            errors["organisation"] = _(
                "For pupils only name, school and category are stored: leave this empty."
            )
        if self.deputy_of_id and self.deputy_of_id == self.pk:
            errors["deputy_of"] = _("A member cannot be their own deputy.")
        if (
            self.category == self.Category.FACTION
            and self.faction_id
            and not self.deputy_of_id
            and "faction" not in errors
        ):
            others = Member.objects.filter(
                faction_id=self.faction_id, category=self.Category.FACTION, deputy_of__isnull=True
            ).exclude(pk=self.pk)
            if any(self.overlaps(other) for other in others):
                errors["faction"] = _(
                    "This faction already has a representative in this period. End that "
                    "membership first or name this person as the deputy."
                )
        if errors:
            raise ValidationError(errors)


class Session(VersionedModel):
    """A meeting (Sitzung) of the working group that members join."""

    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(
        _("places"), default=20, validators=[MinValueValidator(1)]
    )
    description = models.TextField(_("description"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="wg_session_ends_after_start",
                violation_error_message=_("The session must end after it starts."),
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="wg_session_capacity_min_1"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("schools_wg:session_detail", kwargs={"pk": self.pk})

    def clean(self):
        super().clean()
        if not self.place and not self.online_url:
            raise ValidationError({"place": _("Enter a place or an online link.")})

    @property
    def has_started(self):
        return self.starts_at <= timezone.now()

    @property
    def is_over(self):
        return self.ends_at <= timezone.now()


class AgendaItem(models.Model):
    """A point of a session's agenda (Tagesordnung), optionally about a strategy goal or measure."""

    session = models.ForeignKey(
        Session, models.CASCADE, related_name="agenda_items", verbose_name=_("session")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=300)
    notes = models.TextField(_("notes"), blank=True)
    goal = models.ForeignKey(
        "strategy.Goal",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="wg_agenda_items",
        verbose_name=_("strategy goal"),
    )
    measure = models.ForeignKey(
        "strategy.Measure",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="wg_agenda_items",
        verbose_name=_("strategy measure"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["session", "position", "pk"]

    def __str__(self):
        return self.title


class ActionItem(models.Model):
    """An action (Aufgabe) agreed in a session: an owner, a due date, done or not."""

    session = models.ForeignKey(
        Session, models.CASCADE, related_name="action_items", verbose_name=_("session")
    )
    title = models.CharField(_("title"), max_length=300)
    owner = models.ForeignKey(
        Member,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("responsible"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    milestone = models.OneToOneField(
        "strategy.Milestone",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="wg_action_item",
        verbose_name=_("strategy milestone"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["session", "due_date", "pk"]

    def __str__(self):
        return self.title


class Registration(models.Model):
    """A member's RSVP for a session: a seat or a place on the waiting list; attendance later."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("attending")
        WAITING = "waiting", _("waiting list")

    session = models.ForeignKey(
        Session, models.CASCADE, related_name="registrations", verbose_name=_("session")
    )
    member = models.ForeignKey(
        Member, models.PROTECT, related_name="registrations", verbose_name=_("member")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    history = HistoricalRecords()

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["registered_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "member"], name="wg_one_registration_per_member"
            )
        ]

    def __str__(self):
        return f"{self.member} – {self.session}"


class CalendarFeed(SecretFeed):
    """A person's secret calendar feed address; deleting the row revokes it. It works only while
    the person is a member: a former member's address stops working with the membership, even if
    it was shared or subscribed somewhere."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="wg_calendar_feed",
        verbose_name=_("person"),
    )

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def serves(self) -> bool:
        return Member.objects.active().filter(user=self.user).exists()


class Indicator(models.Model):
    """A parity indicator, e.g. pupils per device (lower is better)."""

    class Direction(models.TextChoices):
        HIGHER = "higher", _("higher is better")
        LOWER = "lower", _("lower is better")

    class ValueType(models.TextChoices):
        NUMBER = "number", _("number")
        DATE = "date", _("date (standard: maximum age in months)")

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    value_type = models.CharField(
        _("type of value"), max_length=10, choices=ValueType.choices, default=ValueType.NUMBER
    )
    decimals = models.PositiveSmallIntegerField(_("decimal places"), default=1)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(value_type="date") | Q(direction="lower"),
                name="wg_date_indicator_lower_is_better",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def is_date(self):
        return self.value_type == self.ValueType.DATE


class SchoolMeasurement(models.Model):
    """The value of one indicator at one school in one school year."""

    school = models.ForeignKey(
        School, models.CASCADE, related_name="measurements", verbose_name=_("school")
    )
    indicator = models.ForeignKey(
        Indicator, models.PROTECT, related_name="measurements", verbose_name=_("indicator")
    )
    school_year = models.CharField(
        _("school year"),
        max_length=7,
        validators=[validate_school_year],
    )
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2, null=True, blank=True)
    date_value = models.DateField(_("date"), null=True, blank=True)
    history = HistoricalRecords()

    objects = SchoolMeasurementQuerySet.as_manager()

    class Meta:
        verbose_name = _("school measurement")
        verbose_name_plural = _("school measurements")
        ordering = ["school_year", "indicator__position", "school__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "indicator", "school_year"],
                name="wg_one_value_per_school_indicator_year",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False) | Q(date_value__isnull=False),
                name="wg_measurement_has_value",
            ),
        ]

    def __str__(self):
        return f"{self.school} – {self.indicator} – {self.school_year}"


class ParityStandard(models.Model):
    """The minimum standard (Mindeststandard) of an indicator for one school type."""

    school_type = models.CharField(
        _("school type"), max_length=3, choices=School.SchoolType.choices
    )
    indicator = models.ForeignKey(
        Indicator, models.CASCADE, related_name="standards", verbose_name=_("indicator")
    )
    threshold = models.DecimalField(_("minimum standard"), max_digits=12, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("minimum standard")
        verbose_name_plural = _("minimum standards")
        ordering = ["indicator__position", "school_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["school_type", "indicator"], name="wg_one_standard_per_type_indicator"
            )
        ]

    def __str__(self):
        return f"{self.indicator} ({self.school_type}): {self.threshold}"
