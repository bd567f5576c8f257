"""Background document jobs: a job that breaks is marked failed, one left running past the django-q timeout is
shown as failed, files are private with names nobody can guess and are deleted after a week, and a refresh does
not queue the document again."""

import datetime
import os
import shutil
import tempfile
from pathlib import Path
from unittest import mock

import time_machine
from django.conf import settings
from django.test import override_settings
from django.urls import re_path, reverse
from django.utils import timezone, translation
from django.views.static import serve

from mechanism.documents import jobs, registry
from mechanism.models import DocumentJob, DocumentJobState
from mechanism.tasks import daily_document_cleanup
from tests.base import CastTestCase
from tests.docx_checks import all_text, open_docx

from .test_referral_letter import NOON, ReferralSetup

MEDIA = tempfile.mkdtemp(prefix="xianjie-media-")
PRIVATE = tempfile.mkdtemp(prefix="xianjie-private-documents-")
FAILED_MESSAGE = "The document could not be built. Try again; if it fails again, tell the secretariat."


def tearDownModule():
    shutil.rmtree(MEDIA, ignore_errors=True)
    shutil.rmtree(PRIVATE, ignore_errors=True)


def serve_media(request, path):
    """What `static(MEDIA_URL, document_root=MEDIA_ROOT)` in xianjie/urls.py does in development."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [re_path(r"^media/(?P<path>.*)$", serve_media)]


@override_settings(MEDIA_ROOT=MEDIA, PRIVATE_DOCUMENTS_ROOT=PRIVATE)
class JobTestCase(ReferralSetup, CastTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.set_up_referrals()  # self.to_zgh: the case's assignment to zgh, whose liaison is other_liaison

    def setUp(self):
        patcher = mock.patch.object(registry, "LONG_DOCUMENT_STEPS", 0)  # every document is long: built by a job
        patcher.start()
        self.addCleanup(patcher.stop)

    def download(self, user=None):
        self.client.force_login(user or self.other_liaison)
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.get(reverse("xianjie_documents:download", args=["referral", self.to_zgh.pk]))

    def job_page(self, job):
        return self.client.get(reverse("xianjie_documents:job", args=[job.pk])).content.decode()

    def queued(self, **fields):
        job = DocumentJob.objects.create(kind="referral", object_id=self.to_zgh.pk, requested_by=self.other_liaison)
        if fields:
            DocumentJob.objects.filter(pk=job.pk).update(**fields)
            job.refresh_from_db()
        return job


class FailedJobTests(JobTestCase):
    def test_a_file_that_cannot_be_saved_marks_the_job_failed(self):
        blocker = Path(PRIVATE) / "not-a-folder"
        blocker.write_bytes(b"")
        job = self.queued()
        with override_settings(PRIVATE_DOCUMENTS_ROOT=str(blocker / "documents")):
            jobs.build_document(job.pk)
        job.refresh_from_db()
        self.assertEqual(job.state, DocumentJobState.FAILED)
        self.assertIsNotNone(job.finished_at)
        self.assertFalse(job.file)

    def test_a_job_running_past_the_django_q_timeout_is_shown_as_failed(self):
        started = timezone.now() - datetime.timedelta(seconds=settings.Q_CLUSTER["timeout"] + 1)
        job = self.queued(state=DocumentJobState.RUNNING, started_at=started)
        self.client.force_login(self.other_liaison)
        page = self.job_page(job)
        with translation.override("zh-hans"):
            self.assertIn(translation.gettext(FAILED_MESSAGE), page)
            self.assertIn(f"<strong>{DocumentJobState.FAILED.label}</strong>", page)
        self.assertNotIn('http-equiv="refresh"', page)
        self.assertIn(reverse("xianjie_documents:download", args=["referral", self.to_zgh.pk]), page)

    def test_a_job_running_within_the_timeout_still_waits(self):
        job = self.queued(state=DocumentJobState.RUNNING, started_at=timezone.now() - datetime.timedelta(seconds=10))
        self.client.force_login(self.other_liaison)
        page = self.job_page(job)
        self.assertIn('http-equiv="refresh"', page)
        self.assertFalse(job.failed)

    def test_downloading_again_after_a_stale_job_queues_a_new_one(self):
        stale = self.queued(state=DocumentJobState.RUNNING, started_at=timezone.now() - datetime.timedelta(hours=1))
        response = self.download()
        new = DocumentJob.objects.exclude(pk=stale.pk).get()
        self.assertRedirects(response, reverse("xianjie_documents:job", args=[new.pk]))
        self.assertEqual(new.state, DocumentJobState.DONE)


class PrivateFileTests(JobTestCase):
    def test_the_file_is_outside_media_root_under_a_name_nobody_can_guess(self):
        self.download()
        job = DocumentJob.objects.get()
        path = Path(job.file.path).resolve()
        self.assertTrue(path.is_file())
        self.assertTrue(path.is_relative_to(Path(PRIVATE).resolve()))
        self.assertFalse(path.is_relative_to(Path(MEDIA).resolve()))
        self.assertRegex(os.path.basename(job.file.name), r"^[0-9a-f]{32}\.docx$")
        self.assertNotIn("referral", job.file.name)
        self.assertNotIn(str(self.to_zgh.pk), job.file.name.replace(path.stem, ""))
        with self.assertRaises(ValueError):  # the storage has no URL
            _url = job.file.url

    @override_settings(ROOT_URLCONF=__name__)
    def test_the_media_url_does_not_serve_it(self):
        with override_settings(ROOT_URLCONF="xianjie.urls"):
            self.download()
        job = DocumentJob.objects.get()
        self.client.logout()
        self.assertEqual(self.client.get(settings.MEDIA_URL + job.file.name).status_code, 404)
        (Path(MEDIA) / "probe.txt").write_text("served")  # the dev route itself works
        self.assertEqual(self.client.get(settings.MEDIA_URL + "probe.txt").status_code, 200)

    def test_the_requester_still_gets_it_under_its_chinese_name(self):
        self.download()
        job = DocumentJob.objects.get()
        response = self.client.get(reverse("xianjie_documents:job_file", args=[job.pk]))
        self.assertIn(self.case.reference, all_text(open_docx(response.content)))
        self.assertIn("filename*=utf-8''", response["Content-Disposition"])
        self.assertIn(self.case.reference, response["Content-Disposition"])

    def test_a_file_that_is_gone_gives_404(self):
        self.download()
        job = DocumentJob.objects.get()
        os.remove(job.file.path)
        self.assertEqual(self.client.get(reverse("xianjie_documents:job_file", args=[job.pk])).status_code, 404)


class CleanupTests(JobTestCase):
    def test_old_files_and_rows_go_and_recent_ones_stay(self):
        with time_machine.travel(NOON - datetime.timedelta(days=8), tick=False):
            self.download()
        old = DocumentJob.objects.get()
        with time_machine.travel(NOON - datetime.timedelta(days=6), tick=False):
            self.download(self.secretariat)
        recent = DocumentJob.objects.exclude(pk=old.pk).get()
        never_finished = self.queued(requested_at=NOON - datetime.timedelta(days=9))
        old_path, recent_path = Path(old.file.path), Path(recent.file.path)
        with time_machine.travel(NOON, tick=False):
            self.assertEqual(daily_document_cleanup(), 2)
            self.assertEqual(jobs.delete_old_documents(), 0)  # twice is harmless
        self.assertEqual(list(DocumentJob.objects.values_list("pk", flat=True)), [recent.pk])
        self.assertFalse(old_path.exists())
        self.assertTrue(recent_path.exists())
        self.assertFalse(DocumentJob.objects.filter(pk=never_finished.pk).exists())

    def test_a_row_whose_file_is_already_gone_is_deleted(self):
        with time_machine.travel(NOON - datetime.timedelta(days=8), tick=False):
            self.download()
        os.remove(DocumentJob.objects.get().file.path)
        with time_machine.travel(NOON, tick=False):
            self.assertEqual(jobs.delete_old_documents(), 1)
        self.assertFalse(DocumentJob.objects.exists())

    def test_the_cleanup_runs_daily(self):
        from django_q.models import Schedule

        [schedule] = Schedule.objects.filter(func="mechanism.tasks.daily_document_cleanup")
        self.assertEqual((schedule.schedule_type, schedule.cron, schedule.repeats), (Schedule.CRON, "30 3 * * *", -1))


class ReuseTests(JobTestCase):
    def test_two_gets_make_one_job(self):
        first, second = self.download(), self.download()
        job = DocumentJob.objects.get()
        self.assertEqual(first["Location"], second["Location"])
        self.assertEqual(first["Location"], reverse("xianjie_documents:job", args=[job.pk]))

    def test_a_queued_job_is_reused(self):
        job = self.queued()
        response = self.download()
        self.assertRedirects(response, reverse("xianjie_documents:job", args=[job.pk]), fetch_redirect_response=False)
        self.assertEqual(DocumentJob.objects.count(), 1)

    def test_a_done_job_is_reused_only_for_a_moment(self):
        self.download()
        with time_machine.travel(timezone.now() + jobs.REUSE_DONE_FOR + datetime.timedelta(seconds=1)):
            self.download()
        self.assertEqual(DocumentJob.objects.count(), 2)

    def test_another_user_and_another_document_get_their_own_jobs(self):
        self.download()
        self.download(self.secretariat)
        DocumentJob.objects.create(kind="referral", object_id=self.to_mz.pk, requested_by=self.other_liaison)
        self.assertEqual(jobs.reusable_job(self.other_liaison, "referral", self.to_mz.pk).object_id, self.to_mz.pk)
        self.assertEqual(DocumentJob.objects.filter(object_id=self.to_zgh.pk).count(), 2)
