"""Permissions of the finance app (docs/permissions.md)."""

import rules

from accounts.rules import has_any_role, is_verwaltung

rules.add_perm("finance.view", has_any_role)
rules.add_perm("finance.manage", is_verwaltung)
