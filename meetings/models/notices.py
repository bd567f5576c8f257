"""Notices sent: one row per meeting, recipient, method and sequence, claimed before the mail goes out."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeMethod(models.TextChoices):
    REQUEST = "REQUEST", _("Invitation")
    CANCEL = "CANCEL", _("Cancellation")


class NoticeDelivery(models.Model):
    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("mechanism.MemberUnit", on_delete=models.PROTECT, related_name="+")
    email = models.EmailField()
    method = models.CharField(max_length=10, choices=NoticeMethod.choices)
    sequence = models.PositiveIntegerField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notice delivery")
        verbose_name_plural = _("notice deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user", "method", "sequence"], name="one_notice_per_recipient_and_sequence"
            )
        ]
