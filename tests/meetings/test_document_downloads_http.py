"""Every meeting document over HTTP: 404 for whoever may not see the object, the login page for the anonymous
visitor, the .docx for the secretariat; the minutes stay hidden from units not asked to review them."""

import datetime

import time_machine
from django.urls import reverse

from mechanism.documents.views import DOCX
from mechanism.models import Role
from meetings import services
from meetings.services import add_item, hold_meeting, record_attendance, send_notice, start_minutes
from tests.docx_checks import open_docx
from tests.factories import MemberUnitFactory

from .test_admin_meeting import NOW, MeetingAdminCase

KINDS = ("notice", "agenda", "signin", "minutes")
READABLE = ("notice", "agenda", "signin")  # what every reader of the mechanism gets; the minutes wait


@time_machine.travel(NOW, tick=False)
class MeetingDocumentDownloadTests(MeetingAdminCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.bystander_unit = MemberUnitFactory(mechanism=cls.province, code="cl", name="山西省残疾人联合会")
        cls.bystander = cls.member("bystander_liaison", cls.bystander_unit, Role.LIAISON)

    def setUp(self):
        self.meeting = self.held()
        self.minutes = start_minutes(self.meeting, by=self.secretariat)

    def held(self):
        meeting = self.make(starts_at=NOW)
        add_item(meeting, "议题一", "topic", 30, by=self.secretariat)
        with self.captureOnCommitCallbacks(execute=True):
            send_notice(meeting, by=self.secretariat)
        for unit, person in [(self.zgh, "钱七"), (self.tsw, "赵六")]:
            record_attendance(meeting, unit, person, by=self.secretariat)
        hold_meeting(meeting, by=self.secretariat)
        meeting.refresh_from_db()
        return meeting

    def get(self, user, kind, pk=None):
        if user is not None:
            self.client.force_login(user)
        return self.client.get(reverse("xianjie_documents:download", args=[kind, pk or self.meeting.pk]))

    def test_secretariat_gets_every_document_as_docx(self):
        for kind in KINDS:
            with self.subTest(kind=kind):
                response = self.get(self.secretariat, kind)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response["Content-Type"], DOCX)
                self.assertTrue(response["Content-Disposition"].startswith("attachment;"))
                open_docx(response.content)

    def test_outsider_of_another_mechanism_gets_404_on_every_document(self):
        for kind in KINDS:
            with self.subTest(kind=kind):
                self.assertEqual(self.get(self.outsider, kind).status_code, 404)

    def test_liaison_not_asked_to_review_reads_the_meeting_documents_but_not_the_draft_minutes(self):
        for kind in READABLE:
            with self.subTest(kind=kind):
                response = self.get(self.bystander, kind)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response["Content-Type"], DOCX)
        self.assertEqual(self.get(self.bystander, "minutes").status_code, 404)

    def test_once_published_the_minutes_are_theirs_too(self):
        with self.captureOnCommitCallbacks(execute=True):
            services.send_minutes_for_review(self.minutes, NOW.date() + datetime.timedelta(days=7), by=self.secretariat)
        self.assertEqual(self.get(self.bystander, "minutes").status_code, 404)  # not asked to review
        for unit in services.pending_reviewers(self.minutes):
            services.agree_to_minutes(self.minutes, unit)
        with self.captureOnCommitCallbacks(execute=True):
            services.approve_minutes(self.minutes, by=self.convener_liaison)
            services.publish_minutes(self.minutes, by=self.secretariat)
        response = self.get(self.bystander, "minutes")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], DOCX)
        self.assertEqual(self.get(self.outsider, "minutes").status_code, 404)

    def test_anonymous_visitor_is_sent_to_the_login_page(self):
        for kind in KINDS:
            with self.subTest(kind=kind):
                response = self.get(None, kind)
                self.assertEqual(response.status_code, 302)
                self.assertTrue(response["Location"].startswith(reverse("wagtailadmin_login")))

    def test_a_meeting_that_does_not_exist_is_404(self):
        missing = self.meeting.pk + 1000
        for kind in KINDS:
            with self.subTest(kind=kind):
                self.assertEqual(self.get(self.secretariat, kind, missing).status_code, 404)
