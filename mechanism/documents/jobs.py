"""The django-q2 job that builds a long document for the person who asked, with its progress.

It claims its row with a conditional update (queued → running), so a retried or duplicated job does nothing.
"""

import logging

from django.core.files.base import ContentFile
from django.utils import timezone

from ..models import DocumentJob, DocumentJobState
from . import registry

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 5  # write the progress at most every few steps: one UPDATE each


def build_document(job_pk):
    claimed = DocumentJob.objects.filter(pk=job_pk, state=DocumentJobState.QUEUED).update(
        state=DocumentJobState.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return
    job = DocumentJob.objects.select_related("requested_by").get(pk=job_pk)
    try:
        kind = registry.get_kind(job.kind)
        obj = kind.get_for_user(job.requested_by, job.object_id)
        data = registry.render(kind, obj, progress=progress_of(job_pk), user=job.requested_by)
    except Exception:
        logger.exception("document job %s failed", job_pk)
        DocumentJob.objects.filter(pk=job_pk).update(state=DocumentJobState.FAILED, finished_at=timezone.now())
        return
    job.file.save(f"{job.kind}-{job.object_id}.docx", ContentFile(data), save=False)
    DocumentJob.objects.filter(pk=job_pk).update(
        file=job.file.name, state=DocumentJobState.DONE, done_steps=job.total_steps, finished_at=timezone.now()
    )


def progress_of(job_pk):
    last = {"done": 0}

    def progress(done, total):
        if done - last["done"] >= PROGRESS_EVERY or done == total:
            last["done"] = done
            DocumentJob.objects.filter(pk=job_pk).update(done_steps=done, total_steps=total)

    return progress
