"""manage.py render_document KIND PK OUTPUT.docx: writes a document that opens, refuses what it cannot do."""

import io
import os
import tempfile

from django.core.management import call_command
from django.core.management.base import CommandError

from mechanism.management.commands.render_document import Command
from mechanism.models import AccessKind, PersonalDataAccess
from tests.base import CastTestCase
from tests.docx_checks import all_text, open_docx

from .test_referral_letter import ReferralSetup


class RenderDocumentCommandTests(ReferralSetup, CastTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.set_up_referrals()

    def setUp(self):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.output = os.path.join(folder.name, "转介函.docx")

    def run_command(self, *args):
        stdout = io.StringIO()
        call_command("render_document", *args, stdout=stdout)
        return stdout.getvalue()

    def test_writes_a_docx_that_opens_and_prints_its_path(self):
        printed = self.run_command("referral", str(self.to_zgh.pk), self.output)
        self.assertEqual(printed.strip(), self.output)
        with open(self.output, "rb") as handle:
            text = all_text(open_docx(handle.read()))
        self.assertIn(self.case.reference, text)
        self.assertIn("山西省总工会", text)

    def test_logs_the_personal_data_without_a_user(self):
        self.run_command("referral", str(self.to_zgh.pk), self.output)
        row = PersonalDataAccess.objects.get(kind=AccessKind.EXPORT)
        self.assertEqual((row.user, row.case), (None, self.case))

    def test_refuses_an_unknown_kind_and_names_the_kinds(self):
        with self.assertRaisesMessage(CommandError, "referral"):
            self.run_command("letter", str(self.to_zgh.pk), self.output)
        self.assertFalse(os.path.exists(self.output))

    def test_refuses_a_missing_object(self):
        with self.assertRaises(CommandError) as raised:
            self.run_command("referral", str(self.to_zgh.pk + 1000), self.output)
        self.assertIn(str(self.to_zgh.pk + 1000), str(raised.exception))
        self.assertFalse(os.path.exists(self.output))

    def test_help_lists_the_registered_kinds(self):
        text = Command().create_parser("manage.py", "render_document").format_help()
        for kind in ("referral", "notice", "agenda", "signin", "minutes"):
            self.assertIn(kind, text)
