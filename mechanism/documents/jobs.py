"""The django-q2 job that builds a long document for the person who asked, with its progress, and the daily
clean-up of the finished files.

It claims its row with a conditional update (queued → running), so a retried or duplicated job does nothing.
Whatever goes wrong after the claim (building, saving the file) marks the job failed: a job left running would
keep its page waiting for ever.
"""

import datetime
import logging

from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone

from ..models import DocumentJob, DocumentJobState
from . import registry

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 5  # write the progress at most every few steps: one UPDATE each
KEEP_FOR = datetime.timedelta(days=7)  # finished files are deleted with their rows after this
REUSE_DONE_FOR = datetime.timedelta(minutes=2)  # a refresh or a second click gets the same file, not a new job


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
        job.file.save("document.docx", ContentFile(data), save=False)  # the storage names it at random
        DocumentJob.objects.filter(pk=job_pk).update(
            file=job.file.name, state=DocumentJobState.DONE, done_steps=job.total_steps, finished_at=timezone.now()
        )
    except Exception:
        logger.exception("document job %s failed", job_pk)
        if job.file:
            job.file.storage.delete(job.file.name)
        DocumentJob.objects.filter(pk=job_pk).update(state=DocumentJobState.FAILED, finished_at=timezone.now())


def progress_of(job_pk):
    last = {"done": 0}

    def progress(done, total):
        if done - last["done"] >= PROGRESS_EVERY or done == total:
            last["done"] = done
            DocumentJob.objects.filter(pk=job_pk).update(done_steps=done, total_steps=total)

    return progress


def reusable_job(user, kind_name, object_id, now=None):
    """The same user's job for the same document that is still coming (queued or running, not stale) or was
    finished a moment ago: a refresh, the back button or a prefetch must not queue the document again."""
    now = now or timezone.now()
    candidates = DocumentJob.objects.filter(requested_by=user, kind=kind_name, object_id=object_id).filter(
        Q(state__in=(DocumentJobState.QUEUED, DocumentJobState.RUNNING))
        | Q(state=DocumentJobState.DONE, finished_at__gte=now - REUSE_DONE_FOR)
    )
    for job in candidates.order_by("-requested_at", "-pk"):
        if not job.is_stale(now):
            return job
    return None


def delete_old_documents(now=None):
    """Delete the jobs finished (or requested, if they never finished) more than KEEP_FOR ago, files first.

    Claim-free: run twice at once, the second finds the files gone (the storage ignores that) or the rows gone.
    """
    cutoff = (now or timezone.now()) - KEEP_FOR
    old = DocumentJob.objects.filter(Q(finished_at__lt=cutoff) | Q(finished_at=None, requested_at__lt=cutoff))
    deleted = 0
    for job in old.only("pk", "file").iterator():
        if job.file:
            job.file.storage.delete(job.file.name)
        deleted += DocumentJob.objects.filter(pk=job.pk).delete()[0]
    return deleted
