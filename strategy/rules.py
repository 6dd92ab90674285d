"""Permissions of the strategy app (docs/permissions.md): everyone with a role reads,
Verwaltung edits.

strategy.view    read every strategy page, the deadlines, the timeline, the ICS feed, the exports
strategy.manage  create, edit, delete or archive, reorder, mark milestones done, import
strategy.restore bring an archived field, goal or measure back (Verwaltung only)
"""

import rules

from accounts.rules import has_any_role, is_verwaltung

rules.add_perm("strategy.view", has_any_role)
rules.add_perm("strategy.manage", is_verwaltung)
rules.add_perm("strategy.restore", is_verwaltung)
