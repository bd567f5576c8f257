"""Assignments (交办/转介) of work to a member unit, with a due date in working days, and their follow-ups.

An assignment usually belongs to a case; the meetings' action items use the same machinery
and point at their source instead, so `case` may be empty.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition


class AssignmentState(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    COMPLETED = "completed", _("Completed")
    RETURNED = "returned", _("Returned")


A = AssignmentState
ACTIVE_STATES = [A.ASSIGNED, A.ACKNOWLEDGED]


class AssignmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(state__in=ACTIVE_STATES)

    def overdue(self, today):
        return self.active().filter(due_on__lt=today)


class Assignment(ConcurrentTransitionMixin, models.Model):
    mechanism = models.ForeignKey(
        "mechanism.Mechanism", verbose_name=_("mechanism"), on_delete=models.PROTECT, related_name="assignments"
    )
    unit = models.ForeignKey(
        "mechanism.MemberUnit", verbose_name=_("member unit"), on_delete=models.PROTECT, related_name="assignments"
    )
    case = models.ForeignKey(
        "mechanism.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    task = models.TextField(_("what is asked"), blank=True)

    assigned_at = models.DateTimeField(_("assigned at"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_on = models.DateField(_("due on"))
    due_provisional = models.BooleanField(_("due date provisional"), default=False)
    state = FSMField(_("state"), default=A.ASSIGNED, choices=AssignmentState.choices, protected=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("completed or returned at"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)

    notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    finish_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The overdue ladder: each stage is claimed once, by a conditional update, before its notice is sent.
    ack_reminder_at = models.DateTimeField(null=True, blank=True, editable=False)
    due_soon_at = models.DateTimeField(null=True, blank=True, editable=False)
    due_today_at = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "unit"], condition=Q(state__in=["assigned", "acknowledged"]), name="one_active_per_unit"
            )
        ]
        indexes = [
            models.Index(fields=["unit", "state", "due_on"], name="assignment_unit_due"),
            # Only active assignments (a small share of all): the supervision list (due_on, pk of the user's
            # mechanisms), the secretariat panel's overdue count and the agenda's follow-up and overdue items.
            # (The daily ladder over all mechanisms is served by the partial unique one_active_per_unit.)
            models.Index(
                fields=["mechanism", "due_on", "id"], condition=Q(state__in=ACTIVE_STATES), name="assignment_active_due"
            ),
        ]

    def __str__(self):
        what = self.case.reference if self.case_id else self.task[:30]
        return f"{what} → {self.unit.short_name}"

    @property
    def is_active(self):
        return self.state in ACTIVE_STATES

    def is_overdue(self, today):
        return self.is_active and self.due_on < today

    @transition(field=state, source=A.ASSIGNED, target=A.ACKNOWLEDGED)
    def acknowledge(self):
        pass

    @transition(field=state, source=[A.ASSIGNED, A.ACKNOWLEDGED], target=A.COMPLETED)
    def complete(self):
        pass

    @transition(field=state, source=[A.ASSIGNED, A.ACKNOWLEDGED], target=A.RETURNED)
    def send_back(self):
        pass


class FollowUpKind(models.TextChoices):
    VISIT = "visit", _("Visit")
    CALL = "call", _("Call")
    ASSISTANCE = "assistance", _("Assistance delivered")
    NOTE = "note", _("Note")


class FollowUp(models.Model):
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=FollowUpKind.choices)
    happened_on = models.DateField(_("date"))
    text = models.TextField(_("what happened"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["happened_on", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.happened_on}"
