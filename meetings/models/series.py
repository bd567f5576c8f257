"""A recurring regular meeting: e.g. quarterly on the second Tuesday of the quarter's first month."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mechanism.models import Weekday


class MeetingSeries(models.Model):
    mechanism = models.ForeignKey(
        "mechanism.Mechanism", verbose_name=_("mechanism"), on_delete=models.PROTECT, related_name="meeting_series"
    )
    name = models.CharField(_("name"), max_length=100)
    every_months = models.PositiveSmallIntegerField(
        _("every how many months"), default=3, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    first_month = models.PositiveSmallIntegerField(
        _("first month of the cycle"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("1 with every 3 months: January, April, July, October."),
    )
    week_of_month = models.SmallIntegerField(
        _("week of the month"),
        default=2,
        validators=[MinValueValidator(-1), MaxValueValidator(4)],
        help_text=_("1 to 4, or -1 for the last one."),
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices, default=Weekday.TUESDAY)
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")

    def __str__(self):
        return self.name

    def clean(self):
        if self.week_of_month == 0:
            raise ValidationError({"week_of_month": _("Choose 1 to 4, or -1 for the last one.")})
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A meeting ends after it starts.")})
