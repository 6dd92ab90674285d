"""Named role predicates shared by every app's rules.py (docs/permissions.md)."""

import rules

from . import roles

is_verwaltung = rules.is_group_member(roles.VERWALTUNG)
is_stadtrat = rules.is_group_member(roles.STADTRAT)
is_ag_schule = rules.is_group_member(roles.AG_SCHULE)
is_ratsbuero = rules.is_group_member(roles.RATSBUERO)

# Everyone who holds at least one role may read the strategy, finance and reports list.
has_any_role = is_verwaltung | is_stadtrat | is_ag_schule | is_ratsbuero

# One's own profile and personal data ("Meine Daten"): every signed-in account, with or
# without a role (anonymous visitors are sent to the login page first).
rules.add_perm("accounts.own_data", rules.is_authenticated)
