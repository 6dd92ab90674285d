"""Shared by the working group's views: the two permissions most pages check and the viewer's
membership.

Every view carries `permission_required` (rules, `raise_exception=True`); `has_perm` inside a view
only decides what to show. Writes go through `services`. For htmx requests views render one
`{% partialdef %}` of the same template; every form also works as a plain POST with a redirect
(no JavaScript needed).
"""

from ..models import Member

VIEW = "schools_wg.view"
MANAGE = "schools_wg.manage"


def current_member(user):
    return Member.objects.of_user(user).active().first()
