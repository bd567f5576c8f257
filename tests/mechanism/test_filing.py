"""The filing export: which cases, masked or full ID numbers and who may have them, the access log, CSV and XLSX."""

import csv
import datetime
import io
import shutil
import tempfile
from pathlib import Path

import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from mechanism.filing import COLUMNS, export_filing, filing_cases, filing_rows, may_export_full_ids
from mechanism.models import AccessKind, HouseholdCategory, Need, PersonalDataAccess
from mechanism.services import triage
from mechanism.services.assistance import record_assistance
from mechanism.services.errors import ActionRefused
from tests.base import CastTestCase
from tests.casework import make_case, resident_id
from tests.factories import SHANGHAI

HEADERS = [header for _key, header, _width in COLUMNS]
JAN1, JUN30 = datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)


def at(*args):
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def read_csv(text):
    assert text.startswith("\ufeff"), "no byte-order mark"
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


class FilingTestCase(CastTestCase):
    serial = 100

    def resolved(self, moment, mechanism=None, units=None, close=False, **kw):
        """A case reported, referred and resolved at `moment` (Asia/Shanghai), optionally closed that day."""
        mechanism = mechanism or self.province
        FilingTestCase.serial += 1
        kw.setdefault("id_number", resident_id(serial=str(FilingTestCase.serial)))
        kw.setdefault("phone", f"13900{FilingTestCase.serial:06d}")
        with time_machine.travel(moment, tick=False):
            case = make_case(mechanism, **kw)
            triage.accept_case(case)
            triage.refer_case(case, units or [self.zgh], today=moment.date())
            triage.resolve_case(case, "已办结")
            if close:
                triage.close_case(case, moment.date(), "回访确认已获帮助", today=moment.date())
        case.refresh_from_db()
        return case

    def export(self, by, fmt="csv", **kw):
        stream = io.StringIO() if fmt == "csv" else io.BytesIO()
        count = export_filing(self.province, JAN1, JUN30, stream, by=by, fmt=fmt, **kw)
        return count, stream.getvalue()


class SelectionTest(FilingTestCase):
    def test_only_resolved_and_closed_cases_of_the_period_and_of_the_mechanism(self):
        inside = [
            self.resolved(at(2026, 1, 1, 0, 10)),  # just after the Shanghai midnight (still Dec 31 in UTC)
            self.resolved(at(2026, 3, 10, 10), close=True),
            self.resolved(at(2026, 6, 30, 23, 50)),
        ]
        self.resolved(at(2025, 12, 31, 23, 50))
        self.resolved(at(2026, 7, 1, 0, 5))
        self.resolved(at(2026, 3, 10, 10), mechanism=self.taiyuan, area=self.taiyuan_area, units=[self.ty_fl])
        with time_machine.travel(at(2026, 3, 10, 10), tick=False):
            still_open = make_case(self.province, id_number=resident_id(serial="900"))
            triage.accept_case(still_open)
            triage.refer_case(still_open, [self.zgh])
        references = [
            row["reference"] for row in filing_rows(filing_cases(self.secretariat, self.province, JAN1, JUN30), False)
        ]
        self.assertEqual(references, [case.reference for case in inside])

    def test_a_case_escalated_upwards_is_filed_once_by_the_mechanism_that_resolved_it(self):
        with time_machine.travel(at(2026, 3, 10, 10), tick=False):
            lower = make_case(self.taiyuan, area=self.taiyuan_area)
            triage.accept_case(lower)
            upper = triage.escalate_case(lower, "需省级协调")
            triage.accept_case(upper)
            triage.refer_case(upper, [self.zgh])
            triage.resolve_case(upper, "已办结")
        lower.refresh_from_db()
        self.assertIsNotNone(lower.resolved_at)
        self.assertEqual([c.reference for c in filing_cases(None, self.province, JAN1, JUN30)], [upper.reference])
        self.assertFalse(filing_cases(None, self.taiyuan, JAN1, JUN30).exists())

    def test_a_liaison_files_only_its_units_cases_and_an_outsider_nothing(self):
        mine = self.resolved(at(2026, 3, 10, 10), units=[self.zgh])
        self.resolved(at(2026, 3, 11, 10), units=[self.tsw])
        self.assertEqual(list(filing_cases(self.other_liaison, self.province, JAN1, JUN30)), [mine])
        self.assertEqual(list(filing_cases(self.outsider, self.province, JAN1, JUN30)), [])

    def test_query_count_does_not_grow_with_the_number_of_cases(self):
        def queries():
            with CaptureQueriesContext(connection) as captured:
                rows = list(filing_rows(filing_cases(None, self.province, JAN1, JUN30), False))
            return len(rows), len(captured)

        self.resolved(at(2026, 2, 10, 10))
        few = queries()
        for day in (11, 12, 13):
            case = self.resolved(at(2026, 2, day, 10), units=[self.zgh, self.tsw])
            with time_machine.travel(at(2026, 2, day, 12), tick=False):
                record_assistance(
                    case, self.zgh, "cash", datetime.date(2026, 2, day), "charity", amount=500, confirmed=True
                )
        many = queries()
        self.assertEqual((few[0], many[0]), (1, 4))
        self.assertEqual(few[1], many[1])


class RowTest(FilingTestCase):
    def test_a_row_holds_the_platforms_fields_in_chinese(self):
        case = self.resolved(
            at(2026, 3, 10, 10),
            units=[self.zgh, self.tsw],
            household_category=HouseholdCategory.DIBAO_EDGE,
            needs=[Need.MEDICAL, Need.EDUCATION],
        )
        with time_machine.travel(at(2026, 3, 12, 9), tick=False):
            record_assistance(
                case, self.zgh, "cash", datetime.date(2026, 3, 11), "charity", amount="2000", confirmed=True
            )
            record_assistance(
                case, self.mz, "medical", datetime.date(2026, 3, 12), "government", amount="1500.5", confirmed=True
            )
        [row] = filing_rows(filing_cases(None, self.province, JAN1, JUN30), False)
        self.assertEqual(row["reference"], case.reference)
        self.assertEqual(row["person_name"], "张三")
        self.assertEqual(row["id_number"], case.id_number[:4] + "*" * 10 + case.id_number[-4:])
        self.assertEqual((row["area_code"], row["area_name"]), ("140000", "山西省"))
        self.assertEqual(row["household_category"], "低保边缘")
        self.assertEqual(row["needs"], "医疗、教育")
        self.assertEqual(
            row["assistance"],
            "2026-03-11 山西省总工会 现金 2000.00元（慈善帮扶）；"
            "2026-03-12 山西省民政厅 医疗救助 1500.50元（政府救助）",
        )
        self.assertEqual(str(row["total_amount"]), "3500.50")
        self.assertEqual(row["units"], "山西省总工会、共青团山西省委员会、山西省民政厅")
        self.assertEqual(row["resolved_on"], datetime.date(2026, 3, 10))


class FullIdTest(FilingTestCase):
    def setUp(self):
        self.case = self.resolved(at(2026, 3, 10, 10))

    def test_ids_are_masked_by_default_and_nothing_is_logged(self):
        count, text = self.export(self.secretariat)
        rows = read_csv(text)
        self.assertEqual(count, 1)
        self.assertEqual(rows[0], HEADERS)
        self.assertEqual(rows[1][2], "1401**********" + self.case.id_number[-4:])
        self.assertNotIn(self.case.id_number, text)
        self.assertFalse(PersonalDataAccess.objects.exists())

    def test_the_secretariat_gets_full_ids_with_a_reason_and_the_export_is_logged_once(self):
        _count, text = self.export(self.secretariat, full_ids=True, reason="向低收入人口平台备案")
        self.assertEqual(read_csv(text)[1][2], self.case.id_number)
        [entry] = PersonalDataAccess.objects.all()
        self.assertEqual(
            (entry.user, entry.mechanism, entry.case, entry.kind),
            (self.secretariat, self.province, None, AccessKind.EXPORT),
        )
        self.assertIn("向低收入人口平台备案", entry.reason)
        self.assertIn("2026-01-01", entry.reason)

    def test_full_ids_without_a_reason_are_refused_and_nothing_is_written(self):
        for reason in ("", "   "):
            stream = io.StringIO()
            with self.subTest(reason=reason), self.assertRaises(ActionRefused):
                export_filing(self.province, JAN1, JUN30, stream, by=self.secretariat, full_ids=True, reason=reason)
            self.assertEqual(stream.getvalue(), "")
        self.assertFalse(PersonalDataAccess.objects.exists())

    def test_liaisons_supervisors_and_outsiders_cannot_get_full_ids(self):
        for user in (self.other_liaison, self.convener_liaison, self.supervisor, self.outsider):
            with self.subTest(user=user.username):
                self.assertFalse(may_export_full_ids(user, self.province))
                with self.assertRaises(ActionRefused):
                    self.export(user, full_ids=True, reason="我想看看完整号码")
        self.assertTrue(may_export_full_ids(self.admin, self.province))
        self.assertTrue(may_export_full_ids(self.secretariat, self.province))
        self.assertFalse(may_export_full_ids(self.secretariat, self.taiyuan))
        self.assertFalse(PersonalDataAccess.objects.exists())


class WriterTest(FilingTestCase):
    def test_xlsx_has_a_bold_header_widths_and_the_row(self):
        case = self.resolved(at(2026, 3, 10, 10), needs=[Need.HOUSING])
        count, data = self.export(self.secretariat, fmt="xlsx")
        sheet = load_workbook(io.BytesIO(data)).active
        self.assertEqual(count, 1)
        self.assertEqual([cell.value for cell in sheet[1]], HEADERS)
        self.assertTrue(all(cell.font.b for cell in sheet[1]))
        self.assertEqual(sheet.column_dimensions["C"].width, 22)
        row = [cell.value for cell in sheet[2]]
        self.assertEqual(
            row[:7], [case.reference, "张三", "1401**********" + case.id_number[-4:], "140000", "山西省", "无", "住房"]
        )
        self.assertEqual(row[8], 0)
        self.assertEqual(row[9], "山西省总工会")
        self.assertEqual(row[10].date(), datetime.date(2026, 3, 10))
        self.assertEqual(sheet.max_row, 2)

    def test_a_name_that_looks_like_a_formula_stays_text(self):
        self.resolved(at(2026, 3, 10, 10), person_name='=HYPERLINK("http://x")')
        _count, text = self.export(self.secretariat)
        self.assertEqual(read_csv(text)[1][1], '\'=HYPERLINK("http://x")')
        _count, data = self.export(self.secretariat, fmt="xlsx")
        cell = load_workbook(io.BytesIO(data)).active["B2"]
        self.assertEqual((cell.data_type, cell.value), ("s", '=HYPERLINK("http://x")'))


class CommandTest(FilingTestCase):
    def setUp(self):
        self.case = self.resolved(at(2026, 3, 10, 10))
        self.enterContext(translation.override("en"))  # the messages asserted below stay English once translated
        self.dir = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.dir)

    def run_command(self, *args):
        out = io.StringIO()
        call_command("export_filing", "--area", "140000", *args, stdout=out)
        return out.getvalue()

    def test_writes_masked_csv_or_xlsx(self):
        path = self.dir / "filing.csv"
        out = self.run_command("--from", "2026-01-01", "--to", "2026-06-30", "-o", str(path))
        rows = read_csv(path.read_text(encoding="utf-8"))
        self.assertEqual([row[0] for row in rows[1:]], [self.case.reference])
        self.assertNotIn(self.case.id_number, path.read_text(encoding="utf-8"))
        self.assertIn(str(path), out)
        xlsx = self.dir / "filing.xlsx"
        self.run_command("--from", "2026-01-01", "--to", "2026-06-30", "-o", str(xlsx))
        self.assertEqual(load_workbook(xlsx).active["A2"].value, self.case.reference)

    def test_full_ids_need_a_reason_and_are_logged_as_the_system(self):
        path = self.dir / "full.csv"
        with self.assertRaisesMessage(CommandError, "--reason"):
            self.run_command("--from", "2026-01-01", "--to", "2026-06-30", "--full-ids", "-o", str(path))
        self.assertFalse(path.exists())
        self.run_command(
            "--from", "2026-01-01", "--to", "2026-06-30", "--full-ids", "--reason", "季度备案", "-o", str(path)
        )
        self.assertEqual(read_csv(path.read_text(encoding="utf-8"))[1][2], self.case.id_number)
        [entry] = PersonalDataAccess.objects.all()
        self.assertEqual((entry.user, entry.kind), (None, AccessKind.EXPORT))
        self.assertIn("季度备案", entry.reason)

    def test_bad_dates_and_areas_are_refused_clearly(self):
        path = self.dir / "x.csv"
        cases = [
            (["--from", "2026-13-01", "--to", "2026-06-30"], "--from"),
            (["--from", "2026-01-01", "--to", "30/06/2026"], "--to"),
            (["--from", "2026-06-30", "--to", "2026-01-01"], "--to"),
        ]
        for args, expected in cases:
            with self.subTest(args=args), self.assertRaisesMessage(CommandError, expected):
                self.run_command(*args, "-o", str(path))
        for area in ("14000", "990000"):
            with self.subTest(area=area), self.assertRaisesMessage(CommandError, area):
                call_command(
                    "export_filing", "--area", area, "--from", "2026-01-01", "--to", "2026-06-30", "-o", str(path)
                )
        self.assertFalse(path.exists())
