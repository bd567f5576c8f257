"""Wagtail permission policies backed by mechanism.access: one policy per model, rows scoped per user."""

from wagtail.permission_policies import BasePermissionPolicy

from . import access
from .models import Role

CHANGE_ACTIONS = {"add", "change", "delete"}


class ScopedPermissionPolicy(BasePermissionPolicy):
    """`view` for anyone in the mechanism; `add`/`change`/`delete` for its secretariat.

    `superuser_creates`: only superusers add and delete (mechanisms); `superuser_only`: all of it (areas).
    """

    def __init__(self, model, visible, managed, superuser_creates=False, superuser_only=False):
        super().__init__(model)
        self.visible = visible
        self.managed = managed
        self.superuser_creates = superuser_creates
        self.superuser_only = superuser_only

    def user_has_permission(self, user, action):
        if not (user and user.is_active and user.is_authenticated):
            return False
        if user.is_superuser:
            return True
        if self.superuser_only:
            return False
        roles = access.roles_of(user)
        if action == "view":
            return bool(roles)
        if action in ("add", "delete") and self.superuser_creates:
            return False
        return action in CHANGE_ACTIONS and Role.SECRETARIAT in roles

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def instances_user_has_permission_for(self, user, action):
        if not self.user_has_permission(user, action):
            return self.model.objects.none()
        return self.visible(user) if action == "view" else self.managed(user)

    def instances_user_has_any_permission_for(self, user, actions):
        # What a user manages is always a part of what they see.
        if "view" in actions and self.user_has_permission(user, "view"):
            return self.visible(user)
        if any(self.user_has_permission(user, action) for action in actions if action != "view"):
            return self.managed(user)
        return self.model.objects.none()

    def user_has_permission_for_instance(self, user, action, instance):
        return self.instances_user_has_permission_for(user, action).filter(pk=instance.pk).exists()

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)


class ReadOnlyPermissionPolicy(ScopedPermissionPolicy):
    """Records nobody edits (the access log): `view` for those `visible` lets in, nothing else for anyone."""

    def __init__(self, model, visible):
        super().__init__(model, visible, lambda user: model.objects.none())

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)


class UnitKeptPermissionPolicy(ScopedPermissionPolicy):
    """Content a unit keeps (help channels, brand projects): `view` for anyone in the mechanism;
    `add`/`change`/`delete` for the mechanism's secretariat and the unit's own liaisons."""

    def user_has_permission(self, user, action):
        if not (user and user.is_active and user.is_authenticated):
            return False
        if user.is_superuser:
            return True
        roles = access.roles_of(user)
        if action == "view":
            return bool(roles)
        return action in CHANGE_ACTIONS and bool(roles & {Role.SECRETARIAT, Role.LIAISON})
