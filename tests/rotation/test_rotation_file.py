"""The mechanism file's `rotation:` section: a whole rotation history loaded, checked by replaying the rules,
idempotent, exported and read back to the same forecast; a contradiction refuses the whole file at its line."""

import datetime
import json
import re
from io import StringIO

import time_machine
from django.conf import settings
from django.core.management import call_command
from django.test import TestCase
from django.utils import translation

from mechanism.demo import seed_mechanisms
from mechanism.files.exporter import export_mechanism
from mechanism.files.importer import import_mechanism
from mechanism.files.yaml_lines import FileError
from mechanism.models import Area, ConvenerTerm, Mechanism, Membership, MemberUnit
from rotation.models import RotationEvent, RotationEventKind, RotationPlan
from rotation.services import record_swap
from tests.factories import SHANGHAI

NOW = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=SHANGHAI)

HEAD = """\
version: 1
area: {code: "140000", name: 山西省, level: province, parent: null}
mechanism: {name: 山西省政府救助与慈善帮扶工作衔接机制, parent: null}
units:
  - {code: mz, name: 山西省民政厅, kind: government, joined_on: 2023-11-20, lead: true}
  - {code: zgh, name: 山西省总工会, kind: mass_organisation, joined_on: 2023-11-20}
  - {code: tsw, name: 共青团山西省委员会, kind: mass_organisation, joined_on: 2023-11-20}
  - {code: fl, name: 山西省妇女联合会, kind: mass_organisation, joined_on: 2023-11-20, left_on: 2033-06-30}
  - {code: cl, name: 山西省残疾人联合会, kind: mass_organisation, joined_on: 2023-11-20}
  - {code: hsh, name: 山西省红十字会, kind: social_organisation, joined_on: 2023-11-20}
  - {code: csh, name: 山西省慈善总会, kind: charity, joined_on: 2024-06-01}
"""
HISTORY = (
    HEAD
    + """\
rotation:
  order: [zgh, mz, tsw, fl, cl, hsh]
  terms:
    - {year: 2024, unit: zgh, signed_at: "2024-01-16T10:00:00+08:00"}
    - {year: 2025, unit: mz, signed_at: "2025-01-15T10:00:00+08:00"}
    - {year: 2026, unit: tsw, signed_at: "2026-01-14T10:00:00+08:00"}
  events:
    - {kind: join, date: 2024-06-01, unit: csh}
    - {kind: leave, date: 2026-06-30, unit: hsh, reason: 机构调整, decision: 省红十字会函〔2026〕3号}
    - {kind: join, date: 2027-06-01, unit: hsh, reason: 重新加入, decision: 2027年第1次联席会议决定}
    - {kind: swap, date: 2028-01-01, units: [cl, csh], reason: 工作需要, decision: 2026年第2次联席会议决定}
    - {kind: defer, date: 2029-01-01, unit: cl, reason: 换届, decision: 2028年第1次联席会议决定}
    - {kind: leave, date: 2033-06-30, unit: fl}
"""
)
# By hand: the order zgh mz tsw fl cl hsh, csh appended on joining; zgh, mz, tsw convened 2024-2026, so fl is next
# in 2027 (hsh has left). From 2028 cl and csh swap places (hsh is back, at the end): csh. In 2029 cl is deferred,
# so hsh; cl a year late in 2030. Everyone has convened: a new round from zgh, and fl has left by 2034.
EXPECTED = [
    (2027, "fl"),
    (2028, "csh"),
    (2029, "hsh"),
    (2030, "cl"),
    (2031, "zgh"),
    (2032, "mz"),
    (2033, "tsw"),
    (2034, "csh"),
    (2035, "cl"),
    (2036, "hsh"),
]


def documented_example():
    """The `rotation:` example of docs/mechanism-file.md."""
    text = (settings.BASE_DIR / "docs" / "mechanism-file.md").read_text(encoding="utf-8")
    return re.search(r"```yaml\n(rotation:\n.*?)```", text, re.DOTALL)[1]


def forecast_rows():
    out = StringIO()
    call_command("rotation_forecast", "140000", "--json", stdout=out)
    return json.loads(out.getvalue())


def counts():
    models = (Area, Mechanism, MemberUnit, ConvenerTerm, RotationPlan, RotationEvent)
    return {model.__name__: model.objects.count() for model in models}


def rotation_rows():
    return {
        "plans": list(RotationPlan.objects.values_list("mechanism__area__code", "order")),
        "terms": list(ConvenerTerm.objects.values_list("unit__code", "starts_at", "ends_at")),
        "events": sorted(
            RotationEvent.objects.values_list("kind", "unit__code", "other_unit__code", "year", "day", "reason")
        ),
    }


def wipe():
    for model in (RotationEvent, RotationPlan, ConvenerTerm, Membership, MemberUnit):
        model.objects.all().delete()
    Mechanism.objects.filter(parent__isnull=False).delete()
    Mechanism.objects.all().delete()
    for level in ("county", "city", "province"):
        Area.objects.filter(level=level).delete()


def line_number(text, fragment):
    return next(number for number, line in enumerate(text.splitlines(), 1) if fragment in line)


@time_machine.travel(NOW, tick=False)
class HistoryImportTests(TestCase):
    def test_a_full_history_gives_the_forecast_worked_out_by_hand(self):
        report = import_mechanism(HISTORY)
        self.assertTrue(report.changed)
        self.assertEqual([(row["year"], row["unit"]) for row in forecast_rows()], EXPECTED)
        self.assertEqual(RotationPlan.objects.get().order, ["zgh", "mz", "tsw", "fl", "cl", "hsh"])
        # The join of csh and the leave of fl are the units' own days: accepted, not stored twice.
        self.assertEqual(
            sorted(RotationEvent.objects.values_list("kind", "unit__code", "year")),
            [("defer", "cl", 2029), ("join", "hsh", 2027), ("leave", "hsh", 2026), ("swap", "cl", 2028)],
        )
        terms = list(ConvenerTerm.objects.order_by("starts_at").values_list("unit__code", "starts_at", "ends_at"))
        signed = [
            datetime.datetime(*day, 10, 0, tzinfo=SHANGHAI) for day in ((2024, 1, 16), (2025, 1, 15), (2026, 1, 14))
        ]
        self.assertEqual(terms, [("zgh", signed[0], signed[1]), ("mz", signed[1], signed[2]), ("tsw", signed[2], None)])
        self.assertEqual(Mechanism.objects.get().convener_on(signed[2] - datetime.timedelta(minutes=1)).code, "mz")

    def test_the_forecast_reasons_name_the_swap_and_the_defer(self):
        import_mechanism(HISTORY)
        with translation.override("en"):
            rows = {row["year"]: row["reason"] for row in forecast_rows()}
        self.assertIn("2026年第2次联席会议决定", rows[2028])
        self.assertIn("山西省残疾人联合会", rows[2029])  # hsh convenes because cl is deferred
        self.assertIn("换届", rows[2030])

    def test_second_import_changes_nothing(self):
        import_mechanism(HISTORY)
        before, rows = counts(), rotation_rows()
        report = import_mechanism(HISTORY)
        self.assertFalse(report.changed)
        self.assertEqual((counts(), rotation_rows()), (before, rows))

    def test_a_swap_named_the_other_way_round_is_the_same_swap(self):
        import_mechanism(HISTORY)
        report = import_mechanism(HISTORY.replace("units: [cl, csh]", "units: [csh, cl]"))
        self.assertFalse(report.changed)
        self.assertEqual(RotationEvent.objects.filter(kind=RotationEventKind.SWAP).count(), 1)

    def test_export_then_import_gives_the_same_history_and_forecast(self):
        import_mechanism(HISTORY)
        exported, rows, forecast = export_mechanism("140000"), rotation_rows(), forecast_rows()
        self.assertIn("units: [cl, csh]", exported)
        wipe()
        import_mechanism(exported)
        self.assertEqual((rotation_rows(), forecast_rows()), (rows, forecast))
        self.assertEqual(export_mechanism("140000"), exported)

    def test_rotation_terms_agree_with_the_files_convener_terms(self):
        text = HISTORY.replace(
            "rotation:\n",
            "convener_terms:\n"
            '  - {unit: zgh, starts_at: "2024-01-16T10:00:00+08:00", ends_at: "2024-12-31T00:00:00+08:00"}\n'
            "rotation:\n",
        )
        import_mechanism(text)
        first = ConvenerTerm.objects.order_by("starts_at").first()
        self.assertEqual(first.ends_at, datetime.datetime(2024, 12, 31, tzinfo=SHANGHAI))  # convener_terms' end holds
        self.assertEqual(ConvenerTerm.objects.count(), 3)


@time_machine.travel(NOW, tick=False)
class DocumentedExampleTests(TestCase):
    def test_the_example_in_the_documentation_imports_and_forecasts(self):
        units = (
            HEAD.split("units:\n")[1]
            .replace("2033-06-30", "null")
            .replace("2024-06-01", "2027-03-01, left_on: 2030-06-30")
        )
        units += "  - {code: sgw, name: 山西省工商业联合会, kind: mass_organisation, joined_on: 2023-11-20}\n"
        text = HEAD.split("units:\n")[0] + "units:\n" + units + documented_example()
        import_mechanism(text)
        self.assertEqual(RotationEvent.objects.count(), 2)  # the swap and the defer; csh's days confirm its own
        rows = [(row["year"], row["unit"]) for row in forecast_rows()][:6]
        self.assertEqual(rows, [(2026, "tsw"), (2027, "fl"), (2028, "cl"), (2029, "sgw"), (2030, "hsh"), (2031, "mz")])


@time_machine.travel(NOW, tick=False)
class DemoRoundTripTests(TestCase):
    def test_the_demo_province_exported_and_imported_into_an_empty_database_forecasts_the_same(self):
        seed_mechanisms(today=NOW.date())
        province = Mechanism.objects.get(area__code="140000")
        units = {unit.code: unit for unit in province.units.all()}
        record_swap(province, units["fl"], units["cl"], 2028, "工作需要", "2026年第2次联席会议决定", today=NOW.date())
        texts = [export_mechanism("140000"), export_mechanism("140100")]
        out = StringIO()
        call_command("rotation_forecast", "140000", stdout=out)
        wipe()
        self.assertEqual(Mechanism.objects.count(), 0)

        for text in texts:
            import_mechanism(text)

        again = StringIO()
        call_command("rotation_forecast", "140000", stdout=again)
        self.assertEqual(again.getvalue(), out.getvalue())
        self.assertEqual(len(out.getvalue().splitlines()), 10)
        self.assertEqual(RotationEvent.objects.get().decision, "2026年第2次联席会议决定")


def edit(text, old, new):
    assert old in text, old
    return text.replace(old, new, 1)


BAD = {
    "unknown unit in the order": ("order: [zgh, mz", "order: [zgh, xx, mz", "order:", "xx"),
    "a later unit in the order": ("hsh]\n  terms", "hsh, csh]\n  terms", "order:", "山西省慈善总会"),
    "a founding unit missing from the order": ("tsw, fl, cl, hsh]", "tsw, fl, cl]", "order:", "山西省红十字会"),
    "unknown unit in a term": ("unit: mz, signed_at", "unit: xx, signed_at", "unit: xx, signed", "xx"),
    "a term's year that is not its signing year": (
        '{year: 2025, unit: mz, signed_at: "2025-01-15T10:00:00+08:00"}',
        '{year: 2024, unit: mz, signed_at: "2024-12-31T20:00:00+00:00"}',
        "2024-12-31T20",
        "2025",
    ),
    "terms out of year order": (
        '{year: 2026, unit: tsw, signed_at: "2026-01-14T10:00:00+08:00"}',
        '{year: 2025, unit: tsw, signed_at: "2025-03-14T10:00:00+08:00"}',
        "2025-03-14",
        "follows",
    ),
    "a join before the unit exists": ("date: 2024-06-01", "date: 2024-01-01", "date: 2024-01-01", "山西省慈善总会"),
    "a swap naming an unknown unit": ("units: [cl, csh]", "units: [cl, xyz]", "[cl, xyz]", "xyz"),
    "a swap with a unit that has left": (
        "date: 2028-01-01, units: [cl, csh]",
        "date: 2034-01-01, units: [cl, fl]",
        "[cl, fl]",
        "山西省妇女联合会",
    ),
    "a swap with a unit before it rejoined": (
        "date: 2028-01-01, units: [cl, csh]",
        "date: 2027-01-01, units: [cl, hsh]",
        "[cl, hsh]",
        "山西省红十字会",
    ),
    "a leave of a unit not in the rotation": (
        "{kind: leave, date: 2033-06-30, unit: fl}",
        "{kind: leave, date: 2027-01-01, unit: hsh}",
        "2027-01-01, unit: hsh",
        "山西省红十字会",
    ),
    "a join of a member": (
        "{kind: join, date: 2024-06-01, unit: csh}",
        "{kind: join, date: 2025-03-01, unit: mz}",
        "unit: mz}",
        "山西省民政厅",
    ),
    "a join after the unit's left_on": (
        "{kind: leave, date: 2033-06-30, unit: fl}",
        "{kind: join, date: 2034-03-01, unit: fl}",
        "2034-03-01",
        "山西省妇女联合会",
    ),
    "a defer with no other unit waiting": (
        "{kind: leave, date: 2033-06-30, unit: fl}",
        "{kind: defer, date: 2030-01-01, unit: cl, reason: 理由, decision: 决定}",
        "2030-01-01",
        "山西省残疾人联合会",
    ),
    "an event dated far ahead": (
        "{kind: leave, date: 2033-06-30, unit: fl}",
        "{kind: defer, date: 9999-01-01, unit: cl, reason: 理由, decision: 决定}",
        "9999-01-01",
        "9999-01-01",
    ),
    "an event dated more than 50 years from today": (
        "{kind: leave, date: 2033-06-30, unit: fl}",
        "{kind: join, date: 2076-11-25, unit: fl}",  # today is 2026-11-24
        "2076-11-25",
        "50 years",
    ),
    "a term signed in the future": (
        '{year: 2026, unit: tsw, signed_at: "2026-01-14T10:00:00+08:00"}',
        '{year: 2026, unit: tsw, signed_at: "2026-11-24T10:00:01+08:00"}',  # a second after now
        "2026-11-24T10:00:01",
        "future",
    ),
    "a defer without a reason": ("reason: 换届, ", "", "kind: defer", "reason"),
    "a swap without a decision": (", decision: 2026年第2次联席会议决定", "", "kind: swap", "decision"),
    "an unknown kind": ("kind: defer", "kind: pause", "kind: pause", "pause"),
}


@time_machine.travel(NOW, tick=False)
class BadHistoryTests(TestCase):
    def test_each_contradiction_names_its_line_and_nothing_is_imported(self):
        import_mechanism(HEAD)  # the units exist; the rotation section is refused as a whole
        before, rows = counts(), rotation_rows()
        for label, (old, new, at, named) in BAD.items():
            text = edit(HISTORY, old, new)
            with self.subTest(label), translation.override("en"):
                with self.assertRaises(FileError) as refused:
                    import_mechanism(text)
                self.assertEqual(refused.exception.line, line_number(text, at))
                self.assertIn(named, refused.exception.message)
                self.assertEqual((counts(), rotation_rows()), (before, rows))

    def test_a_term_contradicting_the_files_convener_terms_is_refused(self):
        text = edit(
            HISTORY,
            "rotation:\n",
            'convener_terms:\n  - {unit: mz, starts_at: "2024-01-16T10:00:00+08:00", ends_at: null}\nrotation:\n',
        )
        with self.assertRaises(FileError) as refused:
            import_mechanism(text)
        self.assertEqual(refused.exception.line, line_number(text, "{year: 2024, unit: zgh"))
        self.assertFalse(Mechanism.objects.exists())

    def test_nothing_of_a_new_mechanism_is_imported_when_its_history_contradicts(self):
        with self.assertRaises(FileError):
            import_mechanism(edit(HISTORY, "units: [cl, csh]", "units: [cl, xyz]"))
        self.assertEqual(sum(counts().values()), 0)

    def test_a_past_defer_with_nobody_else_waiting_is_refused_at_its_line(self):
        text = """\
area: {code: "140000", name: 山西省, level: province, parent: null}
mechanism: {name: 山西省政府救助与慈善帮扶工作衔接机制, parent: null}
units:
  - {code: mz, name: 山西省民政厅, kind: government, joined_on: 2023-11-20, lead: true}
  - {code: zgh, name: 山西省总工会, kind: mass_organisation, joined_on: 2023-11-20}
rotation:
  terms:
    - {year: 2024, unit: mz, signed_at: 2024-01-10}
    - {year: 2025, unit: zgh, signed_at: 2025-01-10}
  events:
    - {kind: defer, date: 2025-01-01, unit: zgh, reason: 理由, decision: 决定}
"""
        with translation.override("en"), self.assertRaises(FileError) as refused:
            import_mechanism(text)  # in 2025 only zgh waits: it cannot be passed over
        self.assertEqual(refused.exception.line, line_number(text, "kind: defer"))
        self.assertIn("山西省总工会", refused.exception.message)
        self.assertFalse(Mechanism.objects.exists())
