"""Permissions of the project package's own pages."""

import rules

from accounts.rules import is_ratsbuero, is_verwaltung

# "Letzte Änderungen": who changed what, across all apps (names of every editor included).
rules.add_perm("changes.view", is_verwaltung | is_ratsbuero)
