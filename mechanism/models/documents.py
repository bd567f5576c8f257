"""A document built in the background (a django-q2 job) for the person who asked, with its progress."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentJobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class DocumentJob(models.Model):
    kind = models.CharField(_("document"), max_length=20)
    object_id = models.PositiveBigIntegerField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.CASCADE, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    state = models.CharField(
        _("state"), max_length=10, choices=DocumentJobState.choices, default=DocumentJobState.QUEUED
    )
    done_steps = models.PositiveIntegerField(default=0)
    total_steps = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="documents/%Y/%m/", blank=True)
    filename = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("document being built")
        verbose_name_plural = _("documents being built")
        ordering = ["-requested_at"]

    def __str__(self):
        return self.filename or f"{self.kind} {self.object_id}"

    @property
    def percent(self):
        if self.state == DocumentJobState.DONE:
            return 100
        return int(100 * self.done_steps / self.total_steps) if self.total_steps else 0
