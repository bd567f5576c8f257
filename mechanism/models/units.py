"""Member units of a mechanism; a unit that leaves keeps its history and is never deleted."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    GOVERNMENT = "government", _("Government department")
    MASS_ORGANISATION = "mass_organisation", _("Mass organisation")
    CHARITY = "charity", _("Charity")
    SOCIAL_ORGANISATION = "social_organisation", _("Social organisation")


class UnitHasHistory(Exception):
    """Raised when deleting a unit that has a past in the mechanism; set its left-on date instead."""

    @classmethod
    def for_unit(cls, unit):
        return cls(
            _("%(unit)s has a history in the mechanism and cannot be deleted; set the day it left instead.")
            % {"unit": unit.name}
        )


class MemberUnitQuerySet(models.QuerySet):
    def active_on(self, day):
        return self.filter(Q(left_on__isnull=True) | Q(left_on__gt=day), joined_on__lte=day)


class MemberUnit(models.Model):
    mechanism = models.ForeignKey(
        "mechanism.Mechanism", verbose_name=_("mechanism"), on_delete=models.PROTECT, related_name="units"
    )
    name = models.CharField(_("full name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=50)
    code = models.CharField(
        _("short code"),
        max_length=30,
        validators=[RegexValidator(r"^[a-z][a-z0-9_-]*$", _("Use lower-case letters, digits, - and _."))],
        help_text=_("A stable identifier within the mechanism, e.g. mz."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=UnitKind.choices)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    is_lead = models.BooleanField(_("lead unit"), default=False)
    # The unit's liaisons and their phones and e-mails confirmed as current (a handover checks it).
    contacts_verified_on = models.DateField(_("contacts verified on"), null=True, blank=True, editable=False)
    contacts_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MemberUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("member unit")
        verbose_name_plural = _("member units")
        ordering = ["mechanism__area__code", "-is_lead", "joined_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["mechanism", "code"], name="unit_code_unique_in_mechanism"),
            models.UniqueConstraint(
                fields=["mechanism"], condition=Q(is_lead=True), name="one_lead_unit_per_mechanism"
            ),
        ]

    def __str__(self):
        return self.name

    def is_active_on(self, day):
        return self.joined_on <= day and (self.left_on is None or self.left_on > day)

    def clean(self):
        errors = {}
        if self.left_on and self.joined_on and self.left_on <= self.joined_on:
            errors["left_on"] = _("A unit leaves after the day it joined.")
        if self.is_lead and self.mechanism_id:
            others = MemberUnit.objects.filter(mechanism_id=self.mechanism_id, is_lead=True).exclude(pk=self.pk)
            if others.exists():
                errors["is_lead"] = _("%(unit)s is already the lead unit of this mechanism; a mechanism has one.") % {
                    "unit": others.first().name
                }
        if errors:
            raise ValidationError(errors)

    def has_history(self):
        return self.convener_terms.exists() or self.memberships.exists()

    def delete(self, *args, **kwargs):
        if self.has_history():
            raise UnitHasHistory.for_unit(self)
        return super().delete(*args, **kwargs)
