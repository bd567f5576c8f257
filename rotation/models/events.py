"""The events that change a mechanism's rotation plan beyond its members joining and leaving: swaps and defers,
each with its reason and the decision that approved it (a meeting decision or a document reference)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RotationEventKind(models.TextChoices):
    SWAP = "swap", _("Swap (两单位对调轮值次序)")
    DEFER = "defer", _("Defer one year (暂缓一年)")
    # Joins and leaves are read from the units' joined and left days; recorded ones (from a mechanism file's
    # history) add what a unit's two days cannot say, such as leaving and rejoining.
    JOIN = "join", _("Join")
    LEAVE = "leave", _("Leave")


class RotationEvent(models.Model):
    mechanism = models.ForeignKey(
        "mechanism.Mechanism", verbose_name=_("mechanism"), on_delete=models.PROTECT, related_name="rotation_events"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=RotationEventKind.choices)
    unit = models.ForeignKey("mechanism.MemberUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    other_unit = models.ForeignKey(
        "mechanism.MemberUnit",
        verbose_name=_("swapped with"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveIntegerField(
        _("year"), help_text=_("A swap holds from this year on; a defer for this year; a join or leave in its year.")
    )
    day = models.DateField(_("date"), null=True, blank=True, help_text=_("The day a unit joins or leaves."))
    reason = models.TextField(_("reason"))
    decision = models.CharField(
        _("decided by"), max_length=200, help_text=_("The meeting decision or the document that approved it.")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("rotation event")
        verbose_name_plural = _("rotation events")
        ordering = ["mechanism", "year", "pk"]

    def __str__(self):
        return f"{self.year} {self.get_kind_display()} {self.unit.short_name}"


class RotationPlan(models.Model):
    """The plan order of a mechanism's founding units, when it is not the units' own order (lead unit first,
    then by the day they joined). Units that join later are appended as they join."""

    mechanism = models.OneToOneField(
        "mechanism.Mechanism", verbose_name=_("mechanism"), on_delete=models.CASCADE, related_name="rotation_plan"
    )
    order = models.JSONField(_("order"), default=list, help_text=_("The short codes of the founding units, in order."))

    class Meta:
        verbose_name = _("rotation plan")
        verbose_name_plural = _("rotation plans")

    def __str__(self):
        return " → ".join(self.order)
