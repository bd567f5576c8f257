"""Downloading documents from the admin: who gets the file and who gets 404, the response headers, and the
long-document path through a django-q2 job (run synchronously in tests) with its progress page."""

import shutil
import tempfile
from unittest import mock

from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from mechanism.documents import jobs, registry
from mechanism.documents.views import DOCX
from mechanism.models import AccessKind, Assignment, DocumentJob, DocumentJobState, Membership, PersonalDataAccess
from mechanism.services import triage
from tests.base import CastTestCase
from tests.docx_checks import all_text, open_docx

from .test_referral_letter import DUE, NOON, TODAY, ReferralSetup

MEDIA = tempfile.mkdtemp(prefix="xianjie-media-")
PRIVATE = tempfile.mkdtemp(prefix="xianjie-private-documents-")


def tearDownModule():
    shutil.rmtree(MEDIA, ignore_errors=True)
    shutil.rmtree(PRIVATE, ignore_errors=True)


@override_settings(MEDIA_ROOT=MEDIA, PRIVATE_DOCUMENTS_ROOT=PRIVATE)
class DownloadTestCase(ReferralSetup, CastTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.set_up_referrals()  # self.to_zgh: the case's assignment to zgh, whose liaison is other_liaison

    def url(self, assignment, kind="referral"):
        return reverse("xianjie_documents:download", args=[kind, assignment.pk])

    def download(self, user, assignment):
        if user is not None:
            self.client.force_login(user)
        return self.client.get(self.url(assignment))


class DownloadAccessTests(DownloadTestCase):
    def test_own_liaison_and_secretariat_get_the_docx(self):
        for user in (self.other_liaison, self.secretariat, self.supervisor, self.admin):
            response = self.download(user, self.to_zgh)
            self.assertEqual(response.status_code, 200, user)
            self.assertEqual(response["Content-Type"], DOCX)
            self.assertIn(self.case.reference, all_text(open_docx(response.content)))

    def test_other_units_liaison_and_outsider_get_404(self):
        for user in (self.convener_liaison, self.outsider, self.charity_liaison):
            self.assertEqual(self.download(user, self.to_zgh).status_code, 404, user)
        self.assertFalse(PersonalDataAccess.objects.filter(kind=AccessKind.EXPORT).exists())

    def test_anonymous_goes_to_the_login_page(self):
        response = self.download(None, self.to_zgh)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("wagtailadmin_login")))

    def test_unknown_kind_and_missing_object_are_404(self):
        self.client.force_login(self.secretariat)
        self.assertEqual(self.client.get(f"/admin/documents/nosuch/{self.to_zgh.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"/admin/documents/referral/{self.to_zgh.pk + 1000}/").status_code, 404)

    def test_an_assignment_without_a_case_has_no_referral_letter(self):
        action_item = Assignment.objects.create(
            mechanism=self.province, unit=self.zgh, task="报送材料", assigned_at=NOON, due_on=DUE
        )
        self.assertEqual(self.download(self.other_liaison, action_item).status_code, 404)

    def test_headers_say_attachment_utf8_filename_and_no_store(self):
        response = self.download(self.other_liaison, self.to_zgh)
        disposition = response["Content-Disposition"]
        self.assertTrue(disposition.startswith("attachment;"))
        self.assertIn("filename*=utf-8''", disposition)
        self.assertIn(self.case.reference, disposition)
        self.assertIn("no-store", response["Cache-Control"])

    def test_download_is_logged_with_the_user(self):
        self.download(self.other_liaison, self.to_zgh)
        row = PersonalDataAccess.objects.get(kind=AccessKind.EXPORT)
        self.assertEqual((row.user, row.case), (self.other_liaison, self.case))

    def test_a_name_with_characters_xml_cannot_hold_still_downloads(self):
        case = self.referable(person_name="李\ufffe四\uffff\x0b")
        (to_zgh,) = triage.refer_case(case, [self.zgh], by=self.secretariat, due_on=DUE, task="走访", today=TODAY)
        response = self.download(self.other_liaison, to_zgh)
        self.assertEqual(response.status_code, 200)
        self.assertIn("李四", all_text(open_docx(response.content)))

    def test_wagtails_document_library_keeps_its_urls(self):
        self.client.force_login(self.admin)
        self.assertEqual(reverse("wagtaildocs:edit", args=[1]), "/admin/documents/edit/1/")
        self.assertEqual(self.client.get("/admin/documents/edit/999/").status_code, 404)  # wagtail's view, not ours

    def test_assignment_and_case_screens_link_the_letter(self):
        self.client.force_login(self.other_liaison)
        page = self.client.get(reverse("casework:assignment", args=[self.to_zgh.pk])).content.decode()
        self.assertIn(self.url(self.to_zgh), page)
        self.assertIn(zh("Download the referral letter (.docx)"), page)
        self.client.force_login(self.secretariat)
        page = self.client.get(reverse("casework:case", args=[self.case.pk])).content.decode()
        for assignment in (self.to_zgh, self.to_mz, self.to_charity):
            self.assertIn(self.url(assignment), page)


@mock.patch.object(registry, "LONG_DOCUMENT_STEPS", 0)  # every document is long: built by the job
class LongDocumentTests(DownloadTestCase):
    def start(self, user=None):
        self.client.force_login(user or self.other_liaison)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.get(self.url(self.to_zgh))
        return response, DocumentJob.objects.get()

    def test_job_builds_the_file_and_the_page_links_it(self):
        response, job = self.start()
        self.assertRedirects(response, reverse("xianjie_documents:job", args=[job.pk]))
        self.assertEqual(job.state, DocumentJobState.DONE)
        self.assertEqual((job.requested_by, job.kind, job.object_id), (self.other_liaison, "referral", self.to_zgh.pk))
        self.assertEqual(job.done_steps, job.total_steps)
        self.assertTrue(job.file.name.endswith(".docx"))
        page = self.client.get(reverse("xianjie_documents:job", args=[job.pk])).content.decode()
        file_url = reverse("xianjie_documents:job_file", args=[job.pk])
        self.assertIn(file_url, page)
        self.assertNotIn('http-equiv="refresh"', page)
        response = self.client.get(file_url)
        self.assertEqual(response["Content-Type"], DOCX)
        self.assertIn(self.case.reference, all_text(open_docx(response.content)))

    def test_another_user_gets_404_on_the_job_and_its_file(self):
        _response, job = self.start()
        for user in (self.secretariat, self.convener_liaison, self.outsider):
            self.client.force_login(user)
            self.assertEqual(self.client.get(reverse("xianjie_documents:job", args=[job.pk])).status_code, 404)
            self.assertEqual(self.client.get(reverse("xianjie_documents:job_file", args=[job.pk])).status_code, 404)

    def test_the_file_is_refused_once_the_requester_may_no_longer_see_the_object(self):
        _response, job = self.start()
        Membership.objects.filter(user=self.other_liaison).update(unit=self.tsw)  # moved to another unit
        self.client.force_login(self.other_liaison)
        self.assertEqual(self.client.get(reverse("xianjie_documents:job_file", args=[job.pk])).status_code, 404)

    def test_a_second_run_does_nothing(self):
        _response, job = self.start()
        logged = PersonalDataAccess.objects.count()
        jobs.build_document(job.pk)
        again = DocumentJob.objects.get(pk=job.pk)
        self.assertEqual((again.file.name, again.finished_at), (job.file.name, job.finished_at))
        self.assertEqual(PersonalDataAccess.objects.count(), logged)

    def test_queued_job_shows_progress_and_refreshes(self):
        job = DocumentJob.objects.create(
            kind="referral", object_id=self.to_zgh.pk, requested_by=self.other_liaison, total_steps=40, done_steps=10
        )
        self.client.force_login(self.other_liaison)
        page = self.client.get(reverse("xianjie_documents:job", args=[job.pk])).content.decode()
        self.assertIn('<meta http-equiv="refresh" content="2">', page)
        self.assertIn('<progress id="document-progress" max="100" value="25">', page)
        self.assertIn("已生成10/40部分", page)
        self.assertNotIn(reverse("xianjie_documents:job_file", args=[job.pk]), page)
        self.assertEqual(self.client.get(reverse("xianjie_documents:job_file", args=[job.pk])).status_code, 404)

    def test_a_failed_job_says_so(self):
        job = DocumentJob.objects.create(kind="referral", object_id=10**9, requested_by=self.other_liaison)
        jobs.build_document(job.pk)
        job.refresh_from_db()
        self.assertEqual(job.state, DocumentJobState.FAILED)
        self.client.force_login(self.other_liaison)
        page = self.client.get(reverse("xianjie_documents:job", args=[job.pk])).content.decode()
        self.assertIn(zh("The document could not be built. Try again; if it fails again, tell the secretariat."), page)
        self.assertNotIn('http-equiv="refresh"', page)

    def test_progress_is_written_every_few_steps(self):
        job = DocumentJob.objects.create(kind="referral", object_id=self.to_zgh.pk, requested_by=self.other_liaison)
        progress = jobs.progress_of(job.pk)
        with self.assertNumQueries(3):  # steps 5, 10 and the last: not one write per step
            for step in range(1, 13):
                progress(step, 12)
        job.refresh_from_db()
        self.assertEqual((job.done_steps, job.total_steps), (12, 12))


def zh(message):
    """The Chinese the admin shows (it follows the user's language, zh-hans by default, not an override)."""
    with translation.override("zh-hans"):
        return translation.gettext(message)
