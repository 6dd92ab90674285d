"""Reads of the working group as chainable QuerySet methods."""

from django.db import models
from django.db.models import Count, Q
from django.utils import timezone


class MemberQuerySet(models.QuerySet):
    def active(self, on=None):
        """Memberships that are running on `on` (default today)."""
        day = on or timezone.localdate()
        return self.filter(started_on__lte=day).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=day)
        )

    def of_user(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)

    def for_list(self):
        return self.select_related("user", "school", "faction", "deputy_of__user")

    def representatives(self):
        return self.filter(category="faction", deputy_of__isnull=True)


class SessionQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        return self.filter(ends_at__gt=now or timezone.now()).order_by("starts_at", "pk")

    def past(self, now=None):
        return self.filter(ends_at__lte=now or timezone.now()).order_by("-starts_at", "-pk")

    def with_counts(self):
        return self.annotate(
            confirmed_count=Count("registrations", filter=Q(registrations__status="confirmed")),
            waiting_count=Count("registrations", filter=Q(registrations__status="waiting")),
            attended_count=Count("registrations", filter=Q(registrations__attended=True)),
        )

    def of_user(self, user):
        """Sessions the person has registered for (seat or waiting list)."""
        return self.filter(registrations__member__user=user).distinct()


class RegistrationQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status="confirmed")

    def waiting(self):
        return self.filter(status="waiting")

    def in_order(self):
        return self.order_by("registered_at", "pk")


class SchoolMeasurementQuerySet(models.QuerySet):
    def school_years(self) -> list[str]:
        """The school years with at least one value, oldest first."""
        return list(self.order_by("school_year").values_list("school_year", flat=True).distinct())
