"""Admin access for people who belong to a member unit; what they see is scoped by mechanism.access."""

from django.contrib.auth.backends import BaseBackend

from .access import roles_of


class MembershipBackend(BaseBackend):
    def has_perm(self, user_obj, perm, obj=None):
        return perm == "wagtailadmin.access_admin" and bool(roles_of(user_obj))
