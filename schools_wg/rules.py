"""Permissions of the school working group (docs/permissions.md).

Verwaltung manages the group and its sessions but does not join them; councillors and members
with the role "AG Schule" join sessions if they are active members of the group; the Ratsbüro
only reads.
"""

import rules
from django.utils import timezone

from accounts.rules import has_any_role, is_ag_schule, is_stadtrat, is_verwaltung


@rules.predicate
def is_active_member(user):
    from .models import Member

    if not getattr(user, "is_authenticated", False):
        return False
    return Member.objects.of_user(user).active().exists()


@rules.predicate
def session_is_open(user, session):
    """Seats can be taken or given back until the session ends."""
    return session is not None and session.ends_at > timezone.now()


@rules.predicate
def session_has_started(user, session):
    return session is not None and session.starts_at <= timezone.now()


may_join_sessions = (is_stadtrat | is_ag_schule) & is_active_member

rules.add_perm("schools_wg.view", has_any_role)
rules.add_perm("schools_wg.manage", is_verwaltung)
rules.add_perm("schools_wg.view_contact_details", is_verwaltung)
# Joining needs a session: the object-level check also refuses sessions that are over.
rules.add_perm("schools_wg.join_session", may_join_sessions & session_is_open)
rules.add_perm("schools_wg.use_calendar_feed", may_join_sessions)
rules.add_perm("schools_wg.record_attendance", is_verwaltung & session_has_started)
