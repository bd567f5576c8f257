"""The handover record (交接记录): `render_document handover PK OUT.docx` writes the units, the meeting, the
checklist, the open items without personal data and both signatures, in the official layout; the download
answers 404 to those who may not see the handover."""

import datetime
import io
import os
import tempfile

import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from mechanism.documents.registry import get_kind
from mechanism.models import Need
from mechanism.services.triage import accept_case, refer_case
from rotation.handovers import services
from rotation.handovers.document import title_of
from tests.casework import make_case, resident_id
from tests.docx_checks import all_text, assert_official_layout, open_docx
from tests.rotation.test_handover_lifecycle import NOW, TODAY, HandoverTestCase


def render_record(handover):
    """The record as `render_document handover PK OUT.docx` writes it, opened."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "handover.docx")
        call_command("render_document", "handover", str(handover.pk), path, stdout=io.StringIO())
        with open(path, "rb") as handle:
            return open_docx(handle.read())


@time_machine.travel(NOW, tick=False)
class HandoverDocumentTests(HandoverTestCase):
    def setUp(self):
        self.id_number = resident_id(serial="321")
        case = make_case(self.province, by=self.secretariat, person_name="赵六", id_number=self.id_number,
                         phone="13712345678", needs=[Need.HOUSING])  # fmt: skip
        accept_case(case, by=self.secretariat)
        refer_case(case, [self.zgh], by=self.secretariat, today=TODAY)
        self.case = case
        self.handover = self.ready_handover()

    def render(self):
        return render_record(self.handover)

    def test_the_command_writes_the_record_in_the_official_layout(self):
        document = self.render()
        with translation.override("zh-hans"):
            title = title_of(self.handover)
        assert_official_layout(self, document, title)
        self.assertIn(self.province.name, title)
        self.assertIn("2027", title)
        text = all_text(document)
        with translation.override("zh-hans"):  # the meeting's name is worded in the active language
            expected = (self.tsw.name, self.mz.name, self.handover.meeting.name, self.case.reference, self.zgh.name)
            for value in (*expected, Need.HOUSING.label):
                self.assertIn(str(value), text)
        self.assertEqual(text.count("✓"), 5)
        self.assertNotIn("✗", text)
        for secret in (self.id_number, "13712345678", "赵六"):
            self.assertNotIn(secret, text)

    def test_signatures_appear_with_their_dates_once_signed(self):
        unsigned = all_text(self.render())
        services.sign_outgoing(self.handover, by=self.convener_liaison, now=NOW)
        services.sign_incoming(self.handover, by=self.admin, now=NOW + datetime.timedelta(days=1))
        signed = all_text(self.render())
        self.assertNotIn("convener_liaison", unsigned)
        self.assertIn("convener_liaison", signed)
        self.assertIn("2027年1月14日", signed)
        self.assertIn("2027年1月15日", signed)

    def test_the_download_follows_the_handover_access(self):
        url = reverse("xianjie_documents:download", args=["handover", self.handover.pk])
        response = self.login(self.supervisor).get(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn(
            self.case.reference,
            all_text(open_docx(b"".join(response.streaming_content) if response.streaming else response.content)),
        )
        self.assertEqual(self.login(self.outsider).get(url).status_code, 404)

    def test_the_kind_is_registered(self):
        kind = get_kind("handover")
        self.assertEqual(kind.get(self.handover.pk), self.handover)
        with translation.override("zh-hans"):
            self.assertTrue(kind.filename(self.handover).endswith(".docx"))
            self.assertIn("2027", kind.filename(self.handover))
