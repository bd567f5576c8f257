"""The January handover (交接): from the outgoing convener to the incoming one, with a checklist that must be
complete before the outgoing convener signs. The incoming convener's signature completes it: the old
ConvenerTerm ends and the new one starts at that moment (rotation.handovers.services)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition


class HandoverState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    PREPARING = "preparing", _("Preparing")
    MEETING_HELD = "meeting_held", _("Handover meeting held")
    SIGNED_OUTGOING = "signed_outgoing", _("Signed by the outgoing convener")
    COMPLETED = "completed", pgettext_lazy("handover", "Completed")


H = HandoverState
OPEN_STATES = [H.PLANNED, H.PREPARING, H.MEETING_HELD, H.SIGNED_OUTGOING]


class Handover(ConcurrentTransitionMixin, models.Model):
    mechanism = models.ForeignKey(
        "mechanism.Mechanism", verbose_name=_("mechanism"), on_delete=models.PROTECT, related_name="handovers"
    )
    year = models.PositiveIntegerField(_("year"), help_text=_("The year of the term this handover begins."))
    outgoing_unit = models.ForeignKey(
        "mechanism.MemberUnit",
        verbose_name=_("outgoing convener"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    incoming_unit = models.ForeignKey(
        "mechanism.MemberUnit", verbose_name=_("incoming convener"), on_delete=models.PROTECT, related_name="+"
    )
    state = FSMField(_("state"), default=H.PLANNED, choices=HandoverState.choices, protected=True)
    meeting = models.OneToOneField(
        "meetings.Meeting",
        verbose_name=_("handover meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handover",
    )
    summary = models.OneToOneField(
        "rotation.AnnualSummary",
        verbose_name=_("annual work summary"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handover",
    )
    # The open cases and action items handed to the incoming convener: a list generated from the data.
    open_items = models.JSONField(_("open cases and action items"), default=list, blank=True)
    open_items_listed_at = models.DateTimeField(_("open items listed at"), null=True, blank=True)
    # Scheduled work, each claimed once (a second run finds it set and does nothing).
    # The checklist as it stood when the outgoing convener signed (key, label, done, detail): the signed record.
    signed_checklist = models.JSONField(_("checklist when signed"), default=list, blank=True, editable=False)
    meeting_drafted_at = models.DateTimeField(null=True, blank=True, editable=False)
    summary_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    december_reminder_at = models.DateTimeField(null=True, blank=True, editable=False)
    january_reminder_at = models.DateTimeField(null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(null=True, blank=True, editable=False)
    outgoing_signed_at = models.DateTimeField(_("signed by the outgoing convener at"), null=True, blank=True)
    outgoing_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    incoming_signed_at = models.DateTimeField(_("signed by the incoming convener at"), null=True, blank=True)
    incoming_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["mechanism__area__code", "-year"]
        constraints = [models.UniqueConstraint(fields=["mechanism", "year"], name="one_handover_per_year")]

    def __str__(self):
        return _("%(year)s handover of %(mechanism)s") % {"year": self.year, "mechanism": self.mechanism.name}

    @property
    def is_open(self):
        return self.state in OPEN_STATES

    @transition(field=state, source=H.PLANNED, target=H.PREPARING)
    def prepare(self):
        pass

    @transition(field=state, source=H.PREPARING, target=H.MEETING_HELD)
    def record_meeting(self):
        pass

    @transition(field=state, source=H.MEETING_HELD, target=H.SIGNED_OUTGOING)
    def sign_outgoing(self):
        pass

    @transition(field=state, source=H.SIGNED_OUTGOING, target=H.COMPLETED)
    def sign_incoming(self):
        pass
