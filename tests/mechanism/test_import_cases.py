"""import_cases: a unit's CSV batch through the intake service, all or nothing, naming line and column."""

import datetime
import io
import re
import shutil
import tempfile
from pathlib import Path

import time_machine
from django.core.management import CommandError, call_command
from django.utils import translation

from mechanism.case_import import ImportRefused, import_cases
from mechanism.models import (
    AreaLevel,
    Case,
    CaseCounter,
    CaseSource,
    CaseState,
    ConsentMethod,
    HouseholdCategory,
    Need,
    Urgency,
)
from tests.base import CastTestCase
from tests.casework import make_case, resident_id
from tests.factories import SHANGHAI, AreaFactory

NOW = datetime.datetime(2026, 3, 10, 9, 30, tzinfo=SHANGHAI)
LI, WANG = resident_id(serial="301"), resident_id(area="140105", born=datetime.date(1956, 2, 29), serial="302")
CHINESE = "姓名,身份证号,电话,地址,区划代码,家庭类别,需求,紧急程度,情况,同意共享,同意人,同意方式,同意日期"
ENGLISH = (
    "name,id_number,phone,address,area_code,household_category,needs,urgency,narrative,"
    "consent,consent_by,consent_method"
)
GOOD_ROWS = [
    f"李四,{LI},138 0000 1111,小店区坞城路1号,140100,低保,医疗、教育,紧急,因病致贫，急需手术费用,"
    "是,李四本人,书面签字,2026-03-01",
    f"王五,{WANG},,,140000,tekun,basic_living;care,,独居老人,否,,,",
]


@time_machine.travel(NOW, tick=False)
class ImportCasesTest(CastTestCase):
    def setUp(self):
        self.enterContext(translation.override("en"))  # the messages asserted below stay English once translated
        self.dir = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.dir)

    def write(self, lines, bom=False, encoding="utf-8"):
        path = self.dir / "cases.csv"
        data = "\r\n".join(lines).encode(encoding) + b"\r\n"
        path.write_bytes(b"\xef\xbb\xbf" + data if bom else data)
        return path

    def run_import(self, path, *flags):
        out = io.StringIO()
        call_command("import_cases", str(path), "--area", "140000", "--unit", "zgh", *flags, stdout=out)
        return out.getvalue()

    def refusal(self, path, *flags):
        with self.assertRaises(CommandError) as refused:
            self.run_import(path, *flags)
        return str(refused.exception)

    def test_a_good_file_creates_the_cases_with_their_fields_and_source_unit(self):
        out = self.run_import(self.write([CHINESE, *GOOD_ROWS]))
        li, wang = Case.objects.order_by("reference")
        self.assertIn(li.reference, out)
        self.assertIn(wang.reference, out)
        self.assertEqual(
            (li.source, li.source_unit, li.mechanism, li.state),
            (CaseSource.MEMBER_UNIT, self.zgh, self.province, CaseState.REPORTED),
        )
        self.assertEqual((li.person_name, li.id_number, li.phone), ("李四", LI, "+8613800001111"))
        self.assertEqual((li.address, li.area), ("小店区坞城路1号", self.taiyuan_area))
        self.assertEqual(
            (li.household_category, li.needs, li.urgency),
            (HouseholdCategory.DIBAO, [Need.MEDICAL, Need.EDUCATION], Urgency.URGENT),
        )
        self.assertEqual(li.narrative, "因病致贫，急需手术费用")
        self.assertEqual(
            (li.consent_given, li.consent_by, li.consent_method), (True, "李四本人", ConsentMethod.SIGNED_FORM)
        )
        self.assertEqual(li.consent_at, datetime.datetime(2026, 3, 1, tzinfo=SHANGHAI))
        self.assertEqual((wang.id_number, wang.phone, wang.area, wang.source_unit), (WANG, "", self.shanxi, self.zgh))
        self.assertEqual(
            (wang.household_category, wang.needs, wang.urgency),
            (HouseholdCategory.TEKUN, [Need.BASIC_LIVING, Need.CARE], Urgency.NORMAL),
        )
        self.assertEqual((wang.consent_given, wang.consent_by, wang.consent_at), (False, "", None))

    def test_a_bad_id_on_line_3_creates_nothing_and_names_line_3(self):
        bad = WANG[:-1] + ("1" if WANG[-1] != "1" else "2")
        message = self.refusal(self.write([CHINESE, GOOD_ROWS[0], GOOD_ROWS[1].replace(WANG, bad)]))
        self.assertIn("line 3, 身份证号:", message)
        self.assertNotIn("line 2", message)
        self.assertNotIn(bad, message)
        self.assertFalse(Case.objects.exists())
        self.assertFalse(CaseCounter.objects.filter(last__gt=0).exists())

    def test_line_numbers_count_the_lines_of_a_quoted_narrative(self):
        multiline = GOOD_ROWS[0].replace("因病致贫，急需手术费用", '"因病致贫\n急需手术费用"')
        rows = [CHINESE, multiline.replace("140100", "999998"), GOOD_ROWS[1].replace("140000", "999999")]
        message = self.refusal(self.write(rows))
        self.assertIn("line 2, 区划代码: “999998”", message)  # a row is named by the line it starts on
        self.assertIn("line 4, 区划代码: “999999”", message)
        self.assertNotIn("line 3", message)

    def test_a_duplicate_is_refused_unless_confirmed(self):
        earlier = make_case(self.province, id_number=LI, phone="13900000000")
        path = self.write([CHINESE, *GOOD_ROWS])
        message = self.refusal(path)
        self.assertIn("line 2:", message)
        self.assertIn(earlier.reference, message)
        self.assertIn("--confirm-duplicates", message)
        self.assertEqual(Case.objects.count(), 1)
        out = self.run_import(path, "--confirm-duplicates")
        self.assertIn(earlier.reference, out)
        self.assertEqual(Case.objects.count(), 3)

    def test_the_same_person_twice_in_one_file_is_a_duplicate(self):
        message = self.refusal(self.write([CHINESE, GOOD_ROWS[0], GOOD_ROWS[0]]))
        self.assertIn("line 3:", message)
        self.assertFalse(Case.objects.exists())

    def test_english_headers_and_codes_work_in_any_case(self):
        rows = [
            ENGLISH.replace("name,", "Name,", 1),
            f"Li Si,{LI},0351-1234567,,140100,dibao_edge,MEDICAL;housing,emergency,,yes,Li Si,verbal_witnessed",
        ]
        self.run_import(self.write(rows))
        case = Case.objects.get()
        self.assertEqual(
            (case.person_name, case.phone, case.household_category),
            ("Li Si", "+863511234567", HouseholdCategory.DIBAO_EDGE),
        )
        self.assertEqual(
            (case.needs, case.urgency, case.consent_method),
            ([Need.MEDICAL, Need.HOUSING], Urgency.EMERGENCY, ConsentMethod.VERBAL_WITNESSED),
        )

    def test_a_byte_order_mark_is_handled(self):
        self.run_import(self.write([CHINESE, *GOOD_ROWS], bom=True))
        self.assertEqual(sorted(Case.objects.values_list("person_name", flat=True)), ["李四", "王五"])

    def test_a_dry_run_checks_everything_and_saves_nothing(self):
        out = self.run_import(self.write([CHINESE, *GOOD_ROWS]), "--dry-run")
        self.assertIn("dry run", out)
        self.assertFalse(Case.objects.exists())

    def test_unknown_columns_values_and_consent_are_named(self):
        message = self.refusal(self.write([CHINESE.replace("身份证号", "身份证"), *GOOD_ROWS]))
        self.assertIn("line 1, 身份证:", message)
        rows = [
            CHINESE,
            GOOD_ROWS[0].replace(",低保,", ",贫困户,"),
            GOOD_ROWS[1]
            .replace("basic_living;care", "basic_living;吃饭")
            .replace(",否,", ",也许,")
            .replace(WANG, "1401"),
        ]
        message = self.refusal(self.write(rows))
        self.assertIn("line 2, 家庭类别:", message)
        self.assertIn("line 3, 需求:", message)
        self.assertIn("line 3, 同意共享:", message)
        self.assertIn("line 3, 身份证号:", message)  # told together with the row's other problems
        self.assertFalse(Case.objects.exists())

    def test_a_file_that_is_not_utf8_is_refused(self):
        message = self.refusal(self.write([CHINESE, *GOOD_ROWS], encoding="gbk"))
        self.assertIn("line 1:", message)
        self.assertIn("UTF-8", message)

    def test_unknown_area_or_unit_is_refused(self):
        path = self.write([CHINESE, *GOOD_ROWS])
        with self.assertRaisesMessage(CommandError, "990000"):
            call_command("import_cases", str(path), "--area", "990000", "--unit", "zgh")
        with self.assertRaisesMessage(CommandError, "fl"):
            call_command("import_cases", str(path), "--area", "140000", "--unit", "fl")
        self.assertFalse(Case.objects.exists())

    def test_the_service_can_be_called_with_text_and_reports_problems(self):
        with self.assertRaises(ImportRefused) as refused:
            import_cases(f"{CHINESE}\n李四,{LI},12345,,140000,,医疗,,,否,,,\n", self.province, self.zgh)
        [problem] = refused.exception.problems
        self.assertEqual((problem.line, problem.column), (2, "电话"))

    def test_the_examples_in_the_docs_import(self):
        AreaFactory(code="140105", name="小店区", level=AreaLevel.COUNTY, parent=self.taiyuan_area)
        text = (Path(__file__).resolve().parents[2] / "docs" / "case-import.md").read_text(encoding="utf-8")
        examples = re.findall(r"```csv\n(.*?)```", text, re.S)
        self.assertEqual(len(examples), 2)
        for example in examples:
            with self.subTest(example=example[:20]):
                result = import_cases(example.encode(), self.province, self.zgh, dry_run=True)
                self.assertEqual(len(result.cases), example.count("\n") - 1)
        self.assertFalse(Case.objects.exists())
