"""Official holiday notices entered by hand for years the chinese-calendar package does not know yet."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HolidayOverride(models.Model):
    """One day of a State Council holiday notice; a row wins over the package and the Monday–Friday rule."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(
        _("working day"),
        default=False,
        help_text=_("Tick for a weekend day that is worked in exchange for a holiday; leave empty for a day off."),
    )
    name = models.CharField(
        _("holiday"), max_length=50, help_text=_("The holiday as named in the notice, e.g. Spring Festival.")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("holiday override")
        verbose_name_plural = _("holiday overrides")
        ordering = ["date"]

    def __str__(self):
        kind = _("working day") if self.is_working_day else _("day off")
        return f"{self.date:%Y-%m-%d} {self.name} ({kind})"
