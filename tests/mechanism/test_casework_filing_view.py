"""The admin filing export: a real file back, masked by default, full IDs only with the right and a logged reason."""

import csv
import datetime
import io

from django.urls import reverse
from openpyxl import load_workbook

from mechanism.models import AccessKind, PersonalDataAccess
from mechanism.services import triage
from tests.base import CastTestCase
from tests.casework import make_case, resident_id

PERSON = resident_id(serial="555")


class FilingViewTest(CastTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        case = make_case(cls.province, id_number=PERSON, person_name="刘备案")
        triage.accept_case(case)
        triage.table_case(case)
        triage.resolve_case(case, "会议协调解决")
        cls.today = datetime.date.today()

    def post(self, user, **data):
        data = {"mechanism": self.province.pk, "start": self.today - datetime.timedelta(days=1),
                "end": self.today + datetime.timedelta(days=1), "fmt": "csv"} | data  # fmt: skip
        return self.login(user).post(reverse("casework:filing"), data)

    def test_secretariat_downloads_a_masked_csv(self):
        response = self.post(self.secretariat)
        self.assertEqual(response.status_code, 200)
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        body = "\n".join(",".join(row) for row in rows)
        self.assertIn("刘备案", body)
        self.assertIn("1401**********" + PERSON[-4:], body)
        self.assertNotIn(PERSON, body)
        self.assertEqual(PersonalDataAccess.objects.count(), 0)

    def test_full_ids_need_a_reason_and_are_logged(self):
        refused = self.post(self.secretariat, full_ids="on", reason="")
        self.assertEqual(refused.status_code, 200)
        self.assertNotIn("attachment", refused.get("Content-Disposition", ""))
        response = self.post(self.secretariat, full_ids="on", reason="向省平台备案", fmt="xlsx")
        sheet = load_workbook(io.BytesIO(response.content)).active
        values = [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row]
        self.assertIn(PERSON, values)
        self.assertEqual(PersonalDataAccess.objects.get().kind, AccessKind.EXPORT)

    def test_outsider_cannot_file_the_province(self):
        response = self.post(self.outsider)
        self.assertEqual(response.status_code, 200)  # the form again: the province is not among its choices
        self.assertNotIn("刘备案", response.content.decode())
        self.assertNotIn("attachment", response.get("Content-Disposition", ""))

    def test_liaison_cannot_get_full_ids(self):
        response = self.post(self.other_liaison, full_ids="on", reason="想看看完整号码")
        self.assertNotIn(PERSON, response.content.decode("utf-8", "replace"))
        self.assertEqual(PersonalDataAccess.objects.count(), 0)
