import rules
from django.contrib.auth.models import AbstractUser, _user_has_perm
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class User(AbstractUser):
    """A person who logs in. Roles are groups (see roles.py); contact data is Verwaltung-only."""

    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # Users keep no history (it would record every login); this column lets cached pages that
    # show names see a rename (core/caching.py). A login saves only last_login.
    updated_at = models.DateTimeField(_("changed at"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username

    def has_perm(self, perm, obj=None):
        """Django lets a superuser pass every check; here only the admin's model permissions.

        The superuser is an administration account for the Django admin: the application's own
        permissions (the rules of the apps' rules.py, e.g. "participation.vote") apply to it like
        to anyone, so it cannot vote, comment in a closed consultation or edit others' comments.
        """
        if self.is_active and self.is_superuser and not rules.perm_exists(perm):
            return True
        return _user_has_perm(self, perm, obj=obj)

    @property
    def role_names(self) -> list[str]:
        """The user's role names, read from prefetched groups when available.

        Otherwise from the set rules' role predicates keep on the user (`_group_names_cache`),
        so a page that checks a role and shows the roles in its header asks only once."""
        if "groups" in getattr(self, "_prefetched_objects_cache", {}):
            return sorted(group.name for group in self.groups.all())
        if not hasattr(self, "_group_names_cache"):
            self._group_names_cache = set(self.groups.values_list("name", flat=True))
        return sorted(self._group_names_cache)


class Municipality(models.Model):
    """The municipality that runs this instance: its name is data, never hard-coded."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    motion_reference = models.CharField(
        _("motion reference"),
        max_length=100,
        blank=True,
        help_text=_("The council motion the strategy answers, e.g. Reg.-Nr. 222-21."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self):
        return self.name

    @classmethod
    def current(cls) -> "Municipality | None":
        return cls.objects.order_by("pk").first()
