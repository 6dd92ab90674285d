"""Permissions of status reports (docs/permissions.md)."""

import rules

from accounts.rules import has_any_role, is_ratsbuero, is_stadtrat, is_verwaltung

rules.add_perm("reports.view", has_any_role)
rules.add_perm("reports.request", is_verwaltung | is_ratsbuero)
rules.add_perm("reports.download", is_verwaltung | is_stadtrat | is_ratsbuero)
# The chapter "Vorgehen und Beteiligung": phases, committee dates and the per-report text.
rules.add_perm("reports.edit_approach", is_verwaltung)
