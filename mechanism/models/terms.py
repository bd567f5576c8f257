"""Convener terms: who holds the convener's rights, from one handover to the next."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ConvenerTermQuerySet(models.QuerySet):
    def covering(self, moment):
        return self.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=moment), starts_at__lte=moment)

    def overlapping(self, starts_at, ends_at):
        """Terms whose [start, end) meets [starts_at, ends_at); an open end is the far future."""
        qs = self.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=starts_at))
        return qs if ends_at is None else qs.filter(starts_at__lt=ends_at)


class ConvenerTerm(models.Model):
    mechanism = models.ForeignKey(
        "mechanism.Mechanism", verbose_name=_("mechanism"), on_delete=models.PROTECT, related_name="convener_terms"
    )
    unit = models.ForeignKey(
        "mechanism.MemberUnit", verbose_name=_("convener unit"), on_delete=models.PROTECT, related_name="convener_terms"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True, help_text=_("Empty while the term is current."))

    objects = ConvenerTermQuerySet.as_manager()

    class Meta:
        verbose_name = _("convener term")
        verbose_name_plural = _("convener terms")
        ordering = ["mechanism__area__code", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")), name="term_ends_after_start"
            )
        ]

    def __str__(self):
        start = timezone.localtime(self.starts_at).date()
        end = timezone.localtime(self.ends_at).date() if self.ends_at else "…"
        return f"{self.unit.short_name} {start} – {end}"

    def clean(self):
        if not (self.mechanism_id and self.unit_id and self.starts_at):
            return
        errors = {}
        if self.unit.mechanism_id != self.mechanism_id:
            errors["unit"] = _("The convener unit must be a member unit of this mechanism.")
        elif not self.unit.is_active_on(timezone.localtime(self.starts_at).date()):
            errors["unit"] = _("%(unit)s is not a member unit on the day the term starts.") % {"unit": self.unit.name}
        if self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("A term ends after it starts.")
        clash = self.first_overlap()
        if clash is not None:
            errors["starts_at"] = _(
                "This term overlaps the term of %(term)s; terms of one mechanism never overlap."
            ) % {"term": clash}
        if errors:
            raise ValidationError(errors)

    def first_overlap(self):
        others = ConvenerTerm.objects.filter(mechanism_id=self.mechanism_id).exclude(pk=self.pk)
        return others.overlapping(self.starts_at, self.ends_at).select_related("unit").first()
