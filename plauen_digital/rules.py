"""Permissions of the project package's own pages."""

import rules

from accounts.rules import is_ratsbuero, is_verwaltung

# The dashboard: every logged-in user (each panel decides what its reader sees).
rules.add_perm("dashboard.view", rules.is_authenticated)
# "Letzte Änderungen": who changed what, across all apps (names of every editor included).
rules.add_perm("changes.view", is_verwaltung | is_ratsbuero)
