"""Administrative areas with their GB/T 2260 codes."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

_CODE = re.compile(r"^[1-9]\d{5}$")


class AreaLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County")


def level_of_code(code):
    """The level a six-digit GB/T 2260 code has by its shape: 140000 province, 140100 city, 140105 county."""
    if code.endswith("0000"):
        return AreaLevel.PROVINCE
    if code.endswith("00"):
        return AreaLevel.CITY
    return AreaLevel.COUNTY


def parent_code_candidates(code):
    """Codes that may be the parent of an area with this code, nearest first."""
    level = level_of_code(code)
    if level == AreaLevel.PROVINCE:
        return []
    province = code[:2] + "0000"
    if level == AreaLevel.CITY:
        return [province]
    # County-level areas directly under a province (e.g. 4190xx) have the province as parent.
    return [code[:4] + "00", province]


class Area(models.Model):
    code = models.CharField(_("area code"), max_length=6, unique=True, help_text=_("Six digits, GB/T 2260."))
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=AreaLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent area"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def clean(self):
        errors = {}
        if not _CODE.match(self.code or ""):
            errors["code"] = _("An area code is six digits and does not start with 0, e.g. 140000.")
        elif self.level and level_of_code(self.code) != self.level:
            errors["code"] = _(
                "The code %(code)s has the shape of a %(shape)s code, not of a %(level)s code "
                "(province: ##0000, city: ####00, county: ######)."
            ) % {
                "code": self.code,
                "shape": AreaLevel(level_of_code(self.code)).label,
                "level": AreaLevel(self.level).label,
            }
        elif self.parent_id is None and self.level != AreaLevel.PROVINCE:
            errors["parent"] = _("A city or county needs its parent area.")
        elif self.parent_id is not None and self.parent.code not in parent_code_candidates(self.code):
            errors["parent"] = _("%(parent)s cannot be the parent area of %(code)s.") % {
                "parent": self.parent.code,
                "code": self.code,
            }
        if errors:
            raise ValidationError(errors)

    def is_within(self, other):
        """True if this area is the other area or lies inside it."""
        area = self
        while area is not None:
            if area.pk == other.pk:
                return True
            area = area.parent
        return False
