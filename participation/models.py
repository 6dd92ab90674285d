"""Factions and councillors; consultations, comments and votes build on these."""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.editing import VersionedModel


class FactionQuerySet(models.QuerySet):
    def in_term(self, day):
        """Factions whose election term covers `day`."""
        return self.filter(term_start__lte=day).filter(
            models.Q(term_end__isnull=True) | models.Q(term_end__gte=day)
        )


class Faction(models.Model):
    """A council faction (Fraktion) in one election term."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=50)
    seats = models.PositiveSmallIntegerField(_("seats"), validators=[MinValueValidator(1)])
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"), null=True, blank=True)
    history = HistoricalRecords()

    objects = FactionQuerySet.as_manager()

    class Meta:
        verbose_name = _("faction")
        verbose_name_plural = _("factions")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["short_name", "term_start"], name="faction_unique_in_term"
            )
        ]

    def __str__(self):
        return self.name


def membership_on(day):
    """Q for FactionMembership rows valid on `day`."""
    return models.Q(valid_from__lte=day) & (
        models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=day)
    )


class CouncillorQuerySet(models.QuerySet):
    def current(self, day=None):
        """Councillors with a faction membership valid on `day` (default today)."""
        day = day or timezone.localdate()
        return self.filter(
            models.Exists(
                FactionMembership.objects.filter(
                    membership_on(day), councillor=models.OuterRef("pk")
                )
            )
        )

    def with_current_faction(self, day=None):
        day = day or timezone.localdate()
        current = FactionMembership.objects.filter(
            membership_on(day), councillor=models.OuterRef("pk")
        ).order_by("-valid_from")
        return self.annotate(
            current_faction_id=models.Subquery(current.values("faction_id")[:1]),
            current_faction_short=models.Subquery(current.values("faction__short_name")[:1]),
        )


class Councillor(models.Model):
    """A member of the city council; the faction is a dated membership (FactionMembership)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="councillor", verbose_name=_("user")
    )
    history = HistoricalRecords()

    objects = CouncillorQuerySet.as_manager()

    class Meta:
        verbose_name = _("councillor")
        verbose_name_plural = _("councillors")
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self):
        return str(self.user)

    def membership_on(self, day=None):
        """The faction membership valid on `day` (default today), or None."""
        day = day or timezone.localdate()
        return (
            self.memberships.filter(membership_on(day))
            .select_related("faction")
            .order_by("-valid_from")
            .first()
        )

    def faction_on(self, day=None):
        membership = self.membership_on(day)
        return membership.faction if membership else None


class FactionMembership(models.Model):
    """A councillor belongs to a faction from a date until a date (open = still)."""

    councillor = models.ForeignKey(
        Councillor, models.PROTECT, related_name="memberships", verbose_name=_("councillor")
    )
    faction = models.ForeignKey(
        Faction, models.PROTECT, related_name="memberships", verbose_name=_("faction")
    )
    valid_from = models.DateField(_("from"))
    valid_until = models.DateField(_("until"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("faction membership")
        verbose_name_plural = _("faction memberships")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="membership_until_after_from",
            )
        ]

    def __str__(self):
        return f"{self.councillor} – {self.faction}"


class ConsultationQuerySet(models.QuerySet):
    def open_at(self, moment):
        """Consultations running at `moment`: opened at or before it, closing after it."""
        return self.filter(opens_at__lte=moment, closes_at__gt=moment)

    def open(self):
        return self.open_at(timezone.now())

    def closed(self):
        return self.filter(closes_at__lte=timezone.now())

    def upcoming(self):
        return self.filter(opens_at__gt=timezone.now())

    def containing(self, goal):
        return self.filter(goals=goal)

    def closing_between(self, start, end):
        """Open consultations whose closing time lies in (start, end]."""
        return self.filter(opens_at__lte=start, closes_at__gt=start, closes_at__lte=end)


class Consultation_goals(models.Model):  # noqa: N801 - the name simple-history's m2m table had
    """A goal put to the council in a consultation. Explicit so that a goal in a consultation
    cannot be deleted (PROTECT; it is archived instead): the result stays where it was cast."""

    consultation = models.ForeignKey("participation.Consultation", models.CASCADE)
    goal = models.ForeignKey("strategy.Goal", models.PROTECT)

    class Meta:
        db_table = "participation_consultation_goals"
        unique_together = [("consultation", "goal")]
        verbose_name = _("goal of a consultation")
        verbose_name_plural = _("goals of consultations")

    def __str__(self):
        return f"{self.consultation_id}: {self.goal_id}"


class Consultation(VersionedModel):
    """A Beteiligungsverfahren: councillors comment on and vote for goals between two instants."""

    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    goals = models.ManyToManyField(
        "strategy.Goal",
        through=Consultation_goals,
        related_name="consultations",
        verbose_name=_("goals"),
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    named_results = models.BooleanField(
        _("show results by name"),
        default=False,
        help_text=_("Otherwise results are shown only in aggregate per faction."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[goals])

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["closes_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="consultation_closes_after_opening",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("participation:consultation", kwargs={"pk": self.pk})

    def is_open_at(self, moment) -> bool:
        return self.opens_at <= moment < self.closes_at

    @property
    def is_open(self) -> bool:
        return self.is_open_at(timezone.now())

    @property
    def is_closed(self) -> bool:
        return timezone.now() >= self.closes_at

    @property
    def is_upcoming(self) -> bool:
        return timezone.now() < self.opens_at


class CommentQuerySet(models.QuerySet):
    def thread(self, consultation, goal):
        """Top-level comments of one goal in one consultation, newest first."""
        return self.filter(consultation=consultation, goal=goal, parent__isnull=True).order_by(
            "-created_at", "-pk"
        )

    def with_people(self):
        return self.select_related("author", "hidden_by")

    def with_replies(self):
        """With people, and each comment's replies (oldest first) in `reply_list`: one query more."""
        replies = self.model.objects.with_people().order_by("created_at", "pk")
        return self.with_people().prefetch_related(
            models.Prefetch("replies", queryset=replies, to_attr="reply_list")
        )

    def visible(self):
        """Comments counted as contributions: neither withdrawn nor hidden."""
        return self.filter(withdrawn_at__isnull=True, hidden_at__isnull=True)


class Comment(models.Model):
    """A plain-text comment on a goal within a consultation; replies are one level deep."""

    EDIT_WINDOW = timedelta(minutes=15)

    consultation = models.ForeignKey(
        Consultation, models.PROTECT, related_name="comments", verbose_name=_("consultation")
    )
    goal = models.ForeignKey(
        "strategy.Goal", models.PROTECT, related_name="+", verbose_name=_("goal")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("author")
    )
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("reply to"),
    )
    text = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hidden by"),
    )
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True)
    history = HistoricalRecords()

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["consultation", "goal", "parent", "-created_at"], name="comment_thread_idx"
            )
        ]

    def __str__(self):
        return f"{self.author}: {self.text[:40]}"

    def get_absolute_url(self):
        url = reverse(
            "participation:goal", kwargs={"pk": self.consultation_id, "goal_pk": self.goal_id}
        )
        return f"{url}#comment-{self.pk}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    def editable_until(self):
        return self.created_at + self.EDIT_WINDOW


class ModerationLog(models.Model):
    """Who hid or restored which comment, when and why."""

    class Action(models.TextChoices):
        HIDE = "hide", _("hidden")
        RESTORE = "restore", _("shown again")

    comment = models.ForeignKey(
        Comment, models.PROTECT, related_name="moderation_log", verbose_name=_("comment")
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("moderator")
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()}: {self.comment_id}"


class Vote(models.Model):
    """One councillor's vote on one goal in one consultation.

    `faction` is the faction the councillor belonged to when voting, so a later change of faction
    keeps the vote attributed where it was cast.
    """

    class Choice(models.TextChoices):
        YES = "yes", _("approval")
        NO = "no", _("rejection")
        ABSTAIN = "abstain", _("abstention")

    consultation = models.ForeignKey(
        Consultation, models.PROTECT, related_name="votes", verbose_name=_("consultation")
    )
    goal = models.ForeignKey(
        "strategy.Goal", models.PROTECT, related_name="+", verbose_name=_("goal")
    )
    councillor = models.ForeignKey(
        Councillor, models.PROTECT, related_name="votes", verbose_name=_("councillor")
    )
    faction = models.ForeignKey(
        Faction, models.PROTECT, related_name="votes", verbose_name=_("faction")
    )
    choice = models.CharField(_("vote"), max_length=10, choices=Choice.choices)
    cast_at = models.DateTimeField(_("cast at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["cast_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["councillor", "consultation", "goal"], name="one_vote_per_councillor_goal"
            )
        ]

    def __str__(self):
        return f"{self.councillor}: {self.get_choice_display()}"


class NotificationPreference(models.Model):
    """How a person wants to hear about consultations: at once, once a day, or not at all."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("immediately")
        DIGEST = "digest", _("daily digest")
        NONE = "none", _("no e-mails")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="participation_preference",
        verbose_name=_("user"),
    )
    frequency = models.CharField(
        _("e-mail notifications"),
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.DIGEST,
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return f"{self.user}: {self.get_frequency_display()}"

    @classmethod
    def frequency_for(cls, user) -> str:
        pref = cls.objects.filter(user=user).values_list("frequency", flat=True).first()
        return pref or cls.Frequency.DIGEST


class Notification(models.Model):
    """The outbox: one row per person and event; the unique key makes every event send once."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("consultation opened")
        CLOSING = "closing", _("consultation closes soon")
        REPLY = "reply", _("reply to your comment")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        SKIPPED = "skipped", _("not sent (switched off)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="participation_notifications",
        verbose_name=_("recipient"),
    )
    key = models.CharField(_("event"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    consultation = models.ForeignKey(
        Consultation, models.CASCADE, related_name="notifications", verbose_name=_("consultation")
    )
    comment = models.ForeignKey(
        Comment,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("comment"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_notification_per_event")
        ]

    def __str__(self):
        return f"{self.user}: {self.key}"
