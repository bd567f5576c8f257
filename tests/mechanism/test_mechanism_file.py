"""The mechanism file: export and import round trip, idempotence, and refusal of a broken file as a whole."""

import io
import tempfile
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import TestCase
from wagtail.models import ModelLogEntry

from mechanism.demo import demo_files
from mechanism.files.exporter import export_mechanism
from mechanism.files.importer import import_mechanism
from mechanism.files.yaml_lines import FileError
from mechanism.models import Area, ConvenerTerm, Mechanism, MemberUnit

MODELS = (Area, Mechanism, MemberUnit, ConvenerTerm, ModelLogEntry)


def province_text(year=2026):
    return demo_files(year)[0][1]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def snapshot():
    """Every field of every mechanism row, for comparing two states of the database."""
    return {
        "areas": list(Area.objects.values_list("code", "name", "level", "parent__code")),
        "mechanisms": list(Mechanism.objects.values_list("area__code", "name", "parent__area__code", "quorum_rule")),
        "units": list(
            MemberUnit.objects.order_by("mechanism__area__code", "code").values_list(
                "mechanism__area__code", "code", "name", "short_name", "kind", "joined_on", "left_on", "is_lead"
            )
        ),
        "terms": list(ConvenerTerm.objects.values_list("mechanism__area__code", "unit__code", "starts_at", "ends_at")),
    }


def replace_line(text, old, new):
    assert old in text, old
    return text.replace(old, new, 1)


def line_number(text, fragment):
    return next(number for number, line in enumerate(text.splitlines(), 1) if fragment in line)


class RoundTripTest(TestCase):
    def test_export_then_import_gives_the_same_data(self):
        import_mechanism(province_text())
        exported = export_mechanism("140000")
        before = snapshot()
        ConvenerTerm.objects.all().delete()
        MemberUnit.objects.all().delete()
        Mechanism.objects.all().delete()
        Area.objects.all().delete()
        self.assertEqual(snapshot()["units"], [])

        import_mechanism(exported)

        self.assertEqual(snapshot(), before)
        self.assertEqual(export_mechanism("140000"), exported)
        self.assertEqual(len(before["units"]), 7)
        self.assertEqual(Mechanism.objects.get().convener_on(ConvenerTerm.objects.last().starts_at).code, "tsw")

    def test_city_file_links_to_its_parent_mechanism(self):
        for _path, text in demo_files(2026):
            import_mechanism(text)
        taiyuan = Mechanism.objects.get(area__code="140100")
        self.assertEqual(taiyuan.parent.area.code, "140000")
        self.assertEqual(taiyuan.area.parent.code, "140000")
        self.assertIn("parent: '140000'", export_mechanism("140100"))


class IdempotenceTest(TestCase):
    def test_second_import_changes_nothing(self):
        first = import_mechanism(province_text())
        self.assertEqual(len(first.created), 1 + 1 + 7 + 3)
        before_counts, before = counts(), snapshot()

        second = import_mechanism(province_text())

        self.assertFalse(second.changed)
        self.assertEqual(second.unchanged, 12)
        self.assertEqual(counts(), before_counts)
        self.assertEqual(snapshot(), before)

    def test_changed_file_updates_only_what_changed_and_logs_it(self):
        import_mechanism(province_text())
        text = replace_line(province_text(), "short_name: 省妇联", "short_name: 妇联")
        report = import_mechanism(text)
        self.assertEqual([unit.code for unit in report.updated], ["fl"])
        fl = MemberUnit.objects.get(code="fl")
        self.assertEqual(fl.short_name, "妇联")
        self.assertTrue(ModelLogEntry.objects.for_instance(fl).filter(action="wagtail.edit").exists())

    def test_every_created_row_is_in_the_audit_log(self):
        import_mechanism(province_text())
        for model in (Area, Mechanism, MemberUnit, ConvenerTerm):
            for obj in model.objects.all():
                with self.subTest(obj=str(obj)):
                    self.assertTrue(ModelLogEntry.objects.for_instance(obj).filter(action="wagtail.create").exists())

    def test_moving_the_lead_to_another_unit(self):
        import_mechanism(province_text())
        text = replace_line(province_text(), "joined_on: 2023-11-20, lead: true}", "joined_on: 2023-11-20}")
        text = replace_line(
            text,
            "kind: mass_organisation, joined_on: 2023-11-20}",
            "kind: mass_organisation, joined_on: 2023-11-20, lead: true}",
        )
        import_mechanism(text)
        self.assertEqual(Mechanism.objects.get().lead_unit.code, "zgh")


class BrokenFileTest(TestCase):
    def setUp(self):
        import_mechanism(province_text())
        self.before_counts, self.before = counts(), snapshot()

    def assert_refused_at(self, text, fragment, message_part=""):
        with self.assertRaises(FileError) as refused:
            import_mechanism(text)
        self.assertEqual(refused.exception.line, line_number(text, fragment), str(refused.exception))
        self.assertIn(message_part, str(refused.exception))
        self.assertEqual(counts(), self.before_counts)
        self.assertEqual(snapshot(), self.before)
        return refused.exception

    def test_error_late_in_the_file_undoes_the_changes_before_it(self):
        text = replace_line(province_text(), "name: 山西省政府救助与慈善帮扶工作衔接机制", "name: 改过的名字")
        text = replace_line(
            text, "{code: sgw,", "{code: new, name: 新单位, kind: government, joined_on: 2024-01-01}\n  - {code: sgw,"
        )
        text = replace_line(
            text,
            "kind: mass_organisation, joined_on: 2023-11-20}\n  - {code: new",
            "kind: bogus, joined_on: 2023-11-20}\n  - {code: new",
        )
        error = self.assert_refused_at(text, "kind: bogus", "bogus")
        self.assertTrue(str(error).startswith(f"line {error.line}:") or str(error).startswith(f"第 {error.line}"))

    def test_overlapping_terms_are_refused_at_the_term(self):
        text = replace_line(
            province_text(), 'ends_at: "2026-01-01T00:00:00+08:00"', 'ends_at: "2026-03-01T00:00:00+08:00"'
        )
        self.assert_refused_at(text, "2026-03-01T00:00:00+08:00", "团省委")

    def test_yaml_syntax_error_names_its_line(self):
        text = replace_line(province_text(), "  quorum_rule: more_than_half", "  quorum_rule: [more_than_half")
        with self.assertRaises(FileError) as refused:
            import_mechanism(text)
        self.assertIsNotNone(refused.exception.line)
        self.assertEqual(counts(), self.before_counts)

    def test_two_lead_units(self):
        text = replace_line(
            province_text(),
            "kind: mass_organisation, joined_on: 2023-11-20}",
            "kind: mass_organisation, joined_on: 2023-11-20, lead: true}",
        )
        self.assert_refused_at(text, "units:", "lead")

    def test_unknown_key_and_missing_value_and_bad_date(self):
        cases = [
            (
                replace_line(province_text(), "  quorum_rule: more_than_half", "  quorum: more_than_half"),
                "  quorum: more",
            ),
            (replace_line(province_text(), "{code: cl, name: 山西省残疾人联合会, ", "{code: cl, "), "{code: cl,"),
            (
                replace_line(
                    province_text(),
                    "short_name: 省红十字会, kind: mass_organisation, joined_on: 2023-11-20}",
                    "short_name: 省红十字会, kind: mass_organisation, joined_on: 2023-13-40}",
                ),
                "{code: hsh,",
            ),
            (replace_line(province_text(), "{unit: zgh,", "{unit: nobody,"), "{unit: nobody,"),
            (
                replace_line(
                    province_text(), 'ends_at: "2025-01-01T00:00:00+08:00"', 'ends_at: "2023-01-01T00:00:00+08:00"'
                ),
                "{unit: mz, starts_at",
            ),
        ]
        for text, fragment in cases:
            with self.subTest(fragment=fragment):
                self.assert_refused_at(text, fragment)

    def test_unknown_parent_area(self):
        text = demo_files(2026)[1][1]
        text = replace_line(text, '  parent: "140000"\nmechanism:', '  parent: "150000"\nmechanism:')
        self.assert_refused_at(text, '  parent: "150000"', "150000")

    def test_not_a_mapping(self):
        with self.assertRaises(FileError) as refused:
            import_mechanism("- just\n- a list\n")
        self.assertEqual(refused.exception.line, 1)


class CommandTest(TestCase):
    def write(self, text):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        path = Path(folder.name) / "mechanism.yaml"
        path.write_text(text, encoding="utf-8")
        return str(path)

    def test_import_then_export_by_command(self):
        call_command("import_mechanism", self.write(province_text()), stdout=io.StringIO())
        out = self.write("")
        call_command("export_mechanism", "140000", output=out)
        self.assertEqual(Path(out).read_text(encoding="utf-8"), export_mechanism("140000"))
        self.assertIn("共青团山西省委员会", Path(out).read_text(encoding="utf-8"))

    def test_broken_file_by_command_names_the_line(self):
        text = replace_line(province_text(), "level: province", "level: planet")
        with self.assertRaises(CommandError) as refused:
            call_command("import_mechanism", self.write(text))
        self.assertIn(str(line_number(text, "level: planet")), str(refused.exception))
        self.assertEqual(Area.objects.count(), 0)

    def test_export_of_unknown_area(self):
        with self.assertRaises(CommandError):
            call_command("export_mechanism", "990000")
