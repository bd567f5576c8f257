"""People belong to member units with a role; the convener is not a role but follows from the terms."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat")
    LIAISON = "liaison", _("Liaison")
    SUPERVISOR = "supervisor", _("Supervisor (read-only)")


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(
        "mechanism.MemberUnit", verbose_name=_("member unit"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("person in a unit")
        verbose_name_plural = _("people")
        ordering = ["unit__mechanism__area__code", "unit__pk", "user__username"]
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="one_role_once_per_unit")]

    def __str__(self):
        person = self.user.get_full_name() or self.user.get_username()
        return f"{person} · {self.unit.short_name} · {self.get_role_display()}"
