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
    # Runs in which the SMTP server refused this copy for good (5xx); after GIVE_UP_AFTER of them it is not tried
    # again (meetings.delivery). last_error is the exception's class name only: its text names the address.
    refusals = models.PositiveSmallIntegerField(default=0, editable=False)
    last_error = models.CharField(max_length=60, blank=True, editable=False)

    class Meta:
        verbose_name = _("notice delivery")
        verbose_name_plural = _("notice deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user", "method", "sequence"], name="one_notice_per_recipient_and_sequence"
            )
        ]


class MailDelivery(models.Model):
    """One recipient's copy of a batch e-mail (e.g. "minutes-review:<revision pk>"), claimed before it goes out, so
    a batch that failed half-way sends the rest on the next run and never the first half twice."""

    key = models.CharField(max_length=100)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField()
    sent_at = models.DateTimeField(null=True, blank=True)
    refusals = models.PositiveSmallIntegerField(default=0, editable=False)  # as NoticeDelivery's
    last_error = models.CharField(max_length=60, blank=True, editable=False)

    class Meta:
        verbose_name = _("e-mail delivery")
        verbose_name_plural = _("e-mail deliveries")
        constraints = [models.UniqueConstraint(fields=["key", "user"], name="one_mail_per_batch_and_recipient")]
