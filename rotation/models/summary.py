"""The annual work summary (年度工作总结) of a convener's term: figures drafted from the data, narrative sections
edited by the convener, approved by the secretariat and by the convener (rotation.summaries)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition


class SummaryState(models.TextChoices):
    DRAFTING = "drafting", _("Drafting")
    SUBMITTED = "submitted", _("Awaiting approval")
    APPROVED = "approved", pgettext_lazy("summary", "Approved")


S = SummaryState


class AnnualSummary(ConcurrentTransitionMixin, models.Model):
    mechanism = models.ForeignKey(
        "mechanism.Mechanism", verbose_name=_("mechanism"), on_delete=models.PROTECT, related_name="annual_summaries"
    )
    year = models.PositiveIntegerField(_("year"), help_text=_("The year of the convener term it summarises."))
    convener_unit = models.ForeignKey(
        "mechanism.MemberUnit",
        verbose_name=_("convener unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    figures = models.JSONField(_("figures"), default=dict, blank=True, editable=False)
    figures_at = models.DateTimeField(_("figures counted at"), null=True, blank=True, editable=False)
    achievements = models.TextField(_("achievements"), blank=True)
    problems = models.TextField(_("problems"), blank=True)
    plans = models.TextField(_("plans for next year"), blank=True)
    state = FSMField(_("state"), default=S.DRAFTING, choices=SummaryState.choices, protected=True)
    secretariat_approved_at = models.DateTimeField(_("approved by the secretariat at"), null=True, blank=True)
    secretariat_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    convener_approved_at = models.DateTimeField(_("approved by the convener at"), null=True, blank=True)
    convener_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("annual work summary")
        verbose_name_plural = _("annual work summaries")
        ordering = ["mechanism__area__code", "-year"]
        constraints = [models.UniqueConstraint(fields=["mechanism", "year"], name="one_summary_per_year")]

    def __str__(self):
        return _("%(year)s annual work summary of %(mechanism)s") % {
            "year": self.year,
            "mechanism": self.mechanism.name,
        }

    @transition(field=state, source=S.DRAFTING, target=S.SUBMITTED)
    def submit(self):
        pass

    @transition(field=state, source=S.SUBMITTED, target=S.DRAFTING)
    def return_for_changes(self):
        pass

    @transition(field=state, source=S.SUBMITTED, target=S.APPROVED)
    def approve(self):
        pass
