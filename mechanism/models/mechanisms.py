"""The joint mechanism of one area."""

import math

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class QuorumRule(models.TextChoices):
    MORE_THAN_HALF = "more_than_half", _("More than half of the active member units")
    TWO_THIRDS = "two_thirds", _("At least two thirds of the active member units")
    ALL = "all", _("All active member units")


class Mechanism(models.Model):
    area = models.OneToOneField(
        "mechanism.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="mechanism"
    )
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent mechanism"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("Where hard cases are escalated to."),
    )
    quorum_rule = models.CharField(
        _("quorum rule"), max_length=20, choices=QuorumRule.choices, default=QuorumRule.MORE_THAN_HALF
    )

    class Meta:
        verbose_name = _("mechanism")
        verbose_name_plural = _("mechanisms")
        ordering = ["area__code"]

    def __str__(self):
        return self.name

    @property
    def level(self):
        return self.area.level

    @property
    def lead_unit(self):
        return self.units.filter(is_lead=True).first()

    def clean(self):
        if self.parent_id is None or self.area_id is None:
            return
        if (
            self.parent_id == self.pk
            or not self.area.is_within(self.parent.area)
            or self.parent.area_id == self.area_id
        ):
            raise ValidationError(
                {"parent": _("The parent mechanism must belong to an area that contains this mechanism's area.")}
            )

    def active_units(self, on=None):
        on = on or timezone.localdate()
        return self.units.active_on(on)

    def quorum_needed(self, active_count):
        """How many units must attend for a quorum, given the number of active member units."""
        if self.quorum_rule == QuorumRule.ALL:
            return active_count
        if self.quorum_rule == QuorumRule.TWO_THIRDS:
            return math.ceil(active_count * 2 / 3)
        return active_count // 2 + 1

    def convener_on(self, moment):
        """The unit whose convener term covers this aware moment, or None."""
        term = self.convener_terms.covering(moment).select_related("unit").first()
        return term.unit if term else None
