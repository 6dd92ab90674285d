"""Authentication backend: passwords as usual, model permissions only for staff accounts.

Everything the application itself allows is decided by the role predicates in the apps'
`rules.py` (rules' ObjectPermissionBackend). Django's model permissions only matter in the admin
site, which only staff accounts may enter; they never grant a permission the rules define, not
even to a superuser (accounts.User.has_perm). Without this backend every negative `perms` check of
a councillor or working-group member would make ModelBackend read that user's user and group
permissions: two queries on nearly every page, for an answer that is always "no".
"""

import rules
from django.contrib.auth.backends import ModelBackend


class StaffModelBackend(ModelBackend):
    def has_perm(self, user_obj, perm, obj=None):
        # The application's permissions are the rules' alone: no model permission (and no
        # superuser's "all permissions") may grant one.
        if rules.perm_exists(perm):
            return False
        return super().has_perm(user_obj, perm, obj)

    def get_user_permissions(self, user_obj, obj=None):
        if not user_obj.is_staff:
            return set()
        return super().get_user_permissions(user_obj, obj)

    def get_group_permissions(self, user_obj, obj=None):
        if not user_obj.is_staff:
            return set()
        return super().get_group_permissions(user_obj, obj)
