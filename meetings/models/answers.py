"""What units answer to a notice, and who was there."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AnswerKind(models.TextChoices):
    ATTEND = "attend", _("Will attend")
    DEPUTY = "deputy", _("Sends a deputy")
    DECLINE = "decline", _("Declines")


class Answer(models.Model):
    """One answer per meeting and unit; the last one given counts (earlier ones are in the audit log)."""

    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="answers")
    unit = models.ForeignKey("mechanism.MemberUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("answer"), max_length=10, choices=AnswerKind.choices)
    attendee = models.CharField(_("who attends"), max_length=100, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"))

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["meeting", "unit"], name="one_answer_per_unit")]


class Attendance(models.Model):
    """A person present at a meeting for a unit (recorded by the secretariat)."""

    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="attendance")
    unit = models.ForeignKey("mechanism.MemberUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    person = models.CharField(_("person"), max_length=100)
    arrived_late = models.BooleanField(_("arrived late"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "unit", "pk"]
