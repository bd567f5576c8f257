"""A document built in the background (a django-q2 job) for the person who asked, with its progress."""

import datetime
import os
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

QUEUE_PATIENCE = datetime.timedelta(hours=1)  # queued longer than this: the task was lost (broker emptied)


class PrivateDocumentStorage(FileSystemStorage):
    """Files under settings.PRIVATE_DOCUMENTS_ROOT, read when used (tests override it), with no URL at all:
    a document is served only by the job's view, to the person who asked, after checking them again."""

    @property
    def base_location(self):
        return settings.PRIVATE_DOCUMENTS_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None  # url() raises ValueError


private_documents = PrivateDocumentStorage()


def random_name(instance, filename):
    """A name nobody can guess (not the kind and pk); the download keeps the Chinese name of job.filename."""
    return f"{uuid.uuid4().hex}.docx"


def job_timeout():
    """How long django-q lets a task run before it kills the worker: a job running longer will not finish."""
    return datetime.timedelta(seconds=getattr(settings, "Q_CLUSTER", {}).get("timeout") or 300)


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
    file = models.FileField(upload_to=random_name, storage=private_documents, blank=True)
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

    def is_stale(self, now=None):
        """Running past the django-q timeout (its worker was killed) or queued and never picked up: it will
        not finish, so it is shown as failed and a new download starts a new job."""
        now = now or timezone.now()
        if self.state == DocumentJobState.RUNNING:
            return self.started_at is None or now - self.started_at > job_timeout()
        if self.state == DocumentJobState.QUEUED:
            return self.requested_at is not None and now - self.requested_at > QUEUE_PATIENCE
        return False

    @property
    def failed(self):
        return self.state == DocumentJobState.FAILED or self.is_stale()

    @property
    def waiting(self):
        return self.state in (DocumentJobState.QUEUED, DocumentJobState.RUNNING) and not self.is_stale()
