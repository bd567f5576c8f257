"""Personal data never reaches the logs: every case flow runs with the root logger at DEBUG, and no record
carries the ID number (whole, or its digits) or the phone. SQL statements stay out because settings pin
django.db.backends at INFO, whatever LOG_LEVEL says: even with the database cursor forced to log."""

import datetime
import io
import logging
import re
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from mechanism.documents.registry import get_kind, render
from mechanism.models import Case
from mechanism.services import assignments as work
from mechanism.services import triage
from mechanism.services.assistance import log_case_view, reveal_personal_field
from tests.base import CastTestCase
from tests.casework import make_case, resident_id

ID_NUMBER = resident_id(serial="777")
PHONE = "13912345678"
IMPORTED_ID = resident_id(serial="778")
IMPORTED_PHONE = "13787654321"
SECRETS = [ID_NUMBER, PHONE, IMPORTED_ID, IMPORTED_PHONE, "139 1234 5678", "137 8765 4321"]


class Capture(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines = []

    def emit(self, record):
        try:
            text = record.getMessage()
        except Exception:  # a record whose arguments do not format is still searched by its parts
            text = f"{record.msg} {record.args}"
        self.lines.append(f"{record.name}: {text} {getattr(record, 'sql', '')} {getattr(record, 'params', '')}")


class NoPersonalDataInLogsTest(CastTestCase):
    def setUp(self):
        self.capture = Capture()
        root = logging.getLogger()
        self.addCleanup(root.setLevel, root.level)
        self.addCleanup(root.removeHandler, self.capture)
        root.addHandler(self.capture)
        root.setLevel(logging.DEBUG)
        connection.force_debug_cursor = True
        self.addCleanup(setattr, connection, "force_debug_cursor", False)

    def drive_every_case_flow(self):
        case = make_case(self.province, by=self.secretariat, id_number=ID_NUMBER, phone=PHONE)
        try:  # the duplicate guard: the same person again is held back for confirmation
            make_case(self.province, by=self.secretariat, confirmed=False, id_number=ID_NUMBER, phone=PHONE)
        except Exception as refused:  # noqa: BLE001 — whatever it raises, its text must not leak either
            logging.getLogger("xianjie.test").info("guard: %s", refused)
        triage.accept_case(case, by=self.secretariat)
        first, second = triage.refer_case(case, [self.zgh, self.tsw], by=self.secretariat)
        work.acknowledge_assignment(first, by=self.other_liaison)
        work.add_follow_up(first, "visit", datetime.date.today(), "上门走访", by=self.other_liaison)
        first.refresh_from_db()
        work.complete_assignment(first, "已协调医疗救助", by=self.other_liaison)
        work.return_assignment(second, "不属于本单位职责", by=self.convener_liaison)
        reveal_personal_field(case, "phone", "联系本人", by=self.secretariat)
        log_case_view(case, by=self.supervisor)
        render(get_kind("referral"), get_kind("referral").get(first.pk), user=self.secretariat)
        client = self.login(self.secretariat)
        for url in (
            reverse("casework:case", args=[case.pk]),
            reverse("casework:cases"),
            reverse("casework:queue"),
            reverse("personaldataaccess:index"),
        ):
            self.assertEqual(client.get(url).status_code, 200, url)
        client.post(reverse("casework:reveal", args=[case.pk]), {"field": "id_number", "reason": "核实身份"})
        self.import_one()
        return case

    def import_one(self):
        folder = Path(tempfile.mkdtemp())
        path = folder / "cases.csv"
        path.write_text(
            "姓名,身份证号,电话,地址,区划代码,家庭类别,需求,紧急程度,情况,同意共享,同意人,同意方式,同意日期\r\n"
            f"李四,{IMPORTED_ID},137 8765 4321,小店区坞城路1号,140100,低保,医疗,紧急,因病致贫,是,李四本人,书面签字,"
            f"{datetime.date.today():%Y-%m-%d}\r\n",
            encoding="utf-8",
        )
        call_command("import_cases", str(path), "--area", "140000", "--unit", "zgh", stdout=io.StringIO())

    def test_no_record_names_an_id_number_or_a_phone(self):
        self.drive_every_case_flow()
        self.assertEqual(Case.objects.count(), 2)  # the flows ran: the reported case and the imported one
        self.assertEqual(logging.getLogger("django.db.backends").getEffectiveLevel(), logging.INFO)
        self.assertTrue(self.capture.lines)  # the capture did see records at DEBUG
        digits = [re.sub(r"\D", "", secret) for secret in SECRETS]
        for line in self.capture.lines:
            squeezed = re.sub(r"\D", "", line)
            for secret, secret_digits in zip(SECRETS, digits, strict=True):
                self.assertNotIn(secret, line)
                self.assertNotIn(secret_digits[:17], squeezed, line[:200])
