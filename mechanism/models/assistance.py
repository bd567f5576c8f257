"""Assistance given to a person: the record the duplicate guard reads, and the personal-data access log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AssistanceKind(models.TextChoices):
    CASH = "cash", _("Cash")
    IN_KIND = "in_kind", _("Goods in kind")
    SERVICE = "service", _("Service")
    MEDICAL = "medical", _("Medical aid")
    EDUCATION = "education", _("Education aid")
    HOUSING = "housing", _("Housing aid")
    OTHER = "other", _("Other")


class Funding(models.TextChoices):
    GOVERNMENT = "government", _("Government assistance")
    CHARITY = "charity", _("Charity help")


class AssistanceRecord(models.Model):
    mechanism = models.ForeignKey("mechanism.Mechanism", verbose_name=_("mechanism"), on_delete=models.PROTECT)
    case = models.ForeignKey(
        "mechanism.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="assistance"
    )
    unit = models.ForeignKey(
        "mechanism.MemberUnit", verbose_name=_("member unit"), on_delete=models.PROTECT, related_name="assistance"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AssistanceKind.choices)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    service = models.CharField(_("service or goods"), max_length=200, blank=True)
    given_on = models.DateField(_("given on"))
    funding = models.CharField(_("funding"), max_length=20, choices=Funding.choices)
    # Copied from the case so the guard matches people across cases without decrypting anything.
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assistance record")
        verbose_name_plural = _("assistance records")
        ordering = ["-given_on", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.given_on}"


class AccessKind(models.TextChoices):
    VIEW = "view", _("Viewed the case")
    REVEAL_ID = "reveal_id", _("Revealed the ID number")
    REVEAL_PHONE = "reveal_phone", _("Revealed the phone")
    EXPORT = "export", _("Exported personal data")


class PersonalDataAccess(models.Model):
    """Who looked at whose personal data, when and why; supervisors read it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, on_delete=models.SET_NULL)
    mechanism = models.ForeignKey("mechanism.Mechanism", verbose_name=_("mechanism"), on_delete=models.PROTECT)
    case = models.ForeignKey("mechanism.Case", verbose_name=_("case"), null=True, on_delete=models.PROTECT)
    kind = models.CharField(_("kind"), max_length=20, choices=AccessKind.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data access log")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
