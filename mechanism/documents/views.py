"""Downloading official documents from the admin: the .docx at once, or, for a long one, a background job
with a progress page and a link when done. Objects come from the kind's getter: 404 for what the user may
not see, and the finished file is checked again before it is served."""

from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import View
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from ..models import DocumentJob, DocumentJobState
from . import jobs, registry

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_response(data, filename):
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response


def kind_or_404(name):
    try:
        return registry.get_kind(name)
    except LookupError:
        raise Http404("No such kind of document.") from None


@method_decorator(never_cache, name="dispatch")
class DownloadView(View):
    def get(self, request, kind, pk):
        kind = kind_or_404(kind)
        obj = kind.get_for_user(request.user, pk)
        if not registry.is_long(kind, obj):
            data = registry.render(kind, obj, user=request.user)
            return docx_response(data, registry.filename(kind, obj))
        with transaction.atomic():
            job = jobs.reusable_job(request.user, kind.name, pk)
            if job is not None:
                return redirect("xianjie_documents:job", job.pk)
            job = DocumentJob.objects.create(
                kind=kind.name,
                object_id=pk,
                requested_by=request.user,
                total_steps=kind.steps(obj),
                filename=registry.filename(kind, obj),
            )
            transaction.on_commit(lambda: queue_build(job.pk))
        return redirect("xianjie_documents:job", job.pk)


def queue_build(job_pk):
    from django_q.tasks import async_task

    async_task("mechanism.documents.jobs.build_document", job_pk)


def job_for_user(user, pk):
    """Only the person who asked sees a job and its file; anyone else gets 404."""
    return get_object_or_404(DocumentJob, pk=pk, requested_by_id=user.pk)


@method_decorator(never_cache, name="dispatch")
class JobView(WagtailAdminTemplateMixin, View):
    template_name = "documents/job.html"
    header_icon = "doc-full"
    page_title = gettext_lazy("Document")

    def get(self, request, pk):
        self.job = job = job_for_user(request.user, pk)
        try:
            label = registry.get_kind(job.kind).label
            retry_url = reverse("xianjie_documents:download", args=[job.kind, job.object_id])
        except LookupError:
            label, retry_url = job.kind, None
        failed = job.failed  # also a job left running past the django-q timeout: it will not finish
        context = {
            "job": job,
            "label": label,
            "state_label": DocumentJobState.FAILED.label if failed else job.get_state_display(),
            "done": job.state == DocumentJobState.DONE,
            "failed": failed,
            "waiting": job.waiting,
            "file_url": reverse("xianjie_documents:job_file", args=[job.pk]),
            "retry_url": retry_url,  # downloading again queues a new job: a failed or stale one is not reused
        }
        return self.render_to_response(self.get_context_data(**context))

    def get_page_subtitle(self):
        return self.job.filename


@method_decorator(never_cache, name="dispatch")
class JobFileView(View):
    def get(self, request, pk):
        job = job_for_user(request.user, pk)
        if job.state != DocumentJobState.DONE or not job.file:
            raise Http404("The document is not ready.")
        kind_or_404(job.kind).get_for_user(request.user, job.object_id)  # still allowed to see it?
        try:
            with job.file.open("rb") as handle:
                data = handle.read()
        except FileNotFoundError:  # cleaned up, or stored where files lived before they were private
            raise Http404("The document is no longer kept.") from None
        return docx_response(data, job.filename)
