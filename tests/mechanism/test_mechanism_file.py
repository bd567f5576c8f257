"""The mechanism file: export and import round trip, idempotence, and refusal of a broken file as a whole."""

import datetime
import io
import tempfile
from collections import Counter
from pathlib import Path

import yaml
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils import translation
from wagtail.models import ModelLogEntry

from mechanism.demo import demo_files
from mechanism.files.exporter import export_mechanism
from mechanism.files.importer import import_mechanism
from mechanism.files.yaml_lines import FileError
from mechanism.models import Area, BrandProject, ConvenerTerm, HelpChannel, Mechanism, MemberUnit

MODELS = (Area, Mechanism, MemberUnit, ConvenerTerm, HelpChannel, BrandProject, ModelLogEntry)
T0830, T1730 = datetime.time(8, 30), datetime.time(17, 30)


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
        "channels": [
            (
                channel.unit.code,
                *(getattr(channel, name) for name in CHANNEL_FIELDS),
                sorted(area.code for area in channel.areas.all()),
            )
            for channel in HelpChannel.objects.select_related("unit").order_by("unit__mechanism__area__code", "pk")
        ],
        "projects": list(
            BrandProject.objects.order_by("unit__mechanism__area__code", "pk").values_list(
                "unit__code", "name", "summary", "url", "display_order"
            )
        ),
    }


CHANNEL_FIELDS = [
    "kind",
    "value",
    "description",
    "open_24_hours",
    "days",
    "opens_at",
    "closes_at",
    "hours_note",
    "groups",
    "needs",
    "is_public",
    "display_order",
    "last_verified_on",
]


def wipe():
    """Delete every mechanism row, children before the parents they protect."""
    ConvenerTerm.objects.all().delete()
    MemberUnit.objects.all().delete()
    Mechanism.objects.filter(parent__isnull=False).delete()
    Mechanism.objects.all().delete()
    for level in ("county", "city", "province"):
        Area.objects.filter(level=level).delete()


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
        wipe()
        self.assertEqual(snapshot()["units"], [])

        import_mechanism(exported)

        self.assertEqual(snapshot(), before)
        self.assertEqual(export_mechanism("140000"), exported)
        self.assertEqual(len(before["units"]), 7)
        self.assertEqual(Mechanism.objects.get().convener_on(ConvenerTerm.objects.last().starts_at).code, "tsw")

    def test_channels_and_projects_round_trip_with_hours_areas_and_internal_channels(self):
        for _path, text in demo_files(2026):
            import_mechanism(text)
        exported = [export_mechanism("140000"), export_mechanism("140100")]
        before = snapshot()
        wipe()
        self.assertEqual(HelpChannel.objects.count(), 0)

        for text in exported:
            import_mechanism(text)

        self.assertEqual(snapshot(), before)
        self.assertEqual([export_mechanism("140000"), export_mechanism("140100")], exported)
        # The round trip covers every shape of a channel the file knows.
        channels = HelpChannel.objects.all()
        self.assertTrue(channels.filter(open_24_hours=True).exists())
        self.assertTrue(channels.filter(opens_at__isnull=False).exclude(hours_note="").exists())
        self.assertTrue(channels.filter(is_public=False).exists())
        self.assertTrue(channels.filter(areas__code="140100").exists())
        self.assertEqual({channel.kind for channel in channels}, {"hotline", "email", "web_form", "wechat", "window"})
        self.assertIn("0351-4101912", exported[0])
        self.assertIn("days: mon-fri", exported[0])
        self.assertIn("needs: [basic_living, housing, care, emergency]", exported[0])

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
        created = Counter(type(obj).__name__ for obj in first.created)
        self.assertEqual(
            created,
            {"Area": 1, "Mechanism": 1, "MemberUnit": 7, "ConvenerTerm": 3, "HelpChannel": 20, "BrandProject": 12},
        )
        before_counts, before = counts(), snapshot()

        second = import_mechanism(province_text())

        self.assertFalse(second.changed)
        self.assertEqual(second.unchanged, created.total())
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
        for model in (Area, Mechanism, MemberUnit, ConvenerTerm, HelpChannel, BrandProject):
            for obj in model.objects.all():
                with self.subTest(obj=str(obj)):
                    self.assertTrue(ModelLogEntry.objects.for_instance(obj).filter(action="wagtail.create").exists())

    def test_moving_the_lead_to_another_unit(self):
        import_mechanism(province_text())
        text = replace_line(province_text(), "    lead: true\n", "")
        text = replace_line(text, "    short_name: 省总工会\n", "    short_name: 省总工会\n    lead: true\n")
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
        text = replace_line(text, "value: jiuzhu@mzt.shanxi.gov.cn", "value: new@mzt.shanxi.gov.cn")
        text = replace_line(
            text,
            "  - code: sgw\n",
            "  - {code: new, name: 新单位, kind: bogus, joined_on: 2024-01-01}\n  - code: sgw\n",
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
        text = replace_line(province_text(), "    short_name: 省总工会\n", "    short_name: 省总工会\n    lead: true\n")
        self.assert_refused_at(text, "units:", "lead")

    def test_unknown_key_and_missing_value_and_bad_date(self):
        cases = [
            (
                replace_line(province_text(), "  quorum_rule: more_than_half", "  quorum: more_than_half"),
                "  quorum: more",
            ),
            (replace_line(province_text(), "    name: 山西省残疾人联合会\n", ""), "- code: cl"),
            (
                replace_line(
                    province_text(),
                    "short_name: 省红十字会\n    kind: mass_organisation\n    joined_on: 2023-11-20",
                    "short_name: 省红十字会\n    kind: mass_organisation\n    joined_on: 2023-13-40",
                ),
                "joined_on: 2023-13-40",
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


def channel_file(channels=(), projects=()):
    """A one-unit province file with these channels and projects (dicts), in block style."""
    unit = {"code": "mz", "name": "山西省民政厅", "kind": "government", "joined_on": datetime.date(2023, 11, 20)}
    unit.update(lead=True, channels=list(channels), projects=list(projects))
    document = {
        "area": {"code": "140000", "name": "山西省", "level": "province", "parent": None},
        "mechanism": {"name": "山西省政府救助与慈善帮扶工作衔接机制"},
        "units": [unit],
    }
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


def hotline(value="0351-1234567", **kw):
    return {"kind": "hotline", "value": value, **kw}


WEEKDAYS = {"days": "mon-fri", "opens": "08:30", "closes": "17:30", "note": "法定节假日除外"}


class ChannelImportTest(TestCase):
    def test_channels_and_projects_are_stored_normalised(self):
        text = channel_file(
            channels=[
                hotline(hours=WEEKDAYS, areas=["140000"], groups=["everyone"], needs=["basic_living", "medical"]),
                {"kind": "email", "value": " Jiuzhu@MZT.Shanxi.gov.cn ", "public": False, "order": 2},
                {"kind": "hotline", "value": 12349, "hours": {"24h": True}, "verified_on": datetime.date(2026, 5, 1)},
                {"kind": "window", "value": "省政务服务中心民政窗口", "hours": {"days": [1, 3, 5, 7]}},
            ],
            projects=[
                {"name": "慈善救助衔接专项", "summary": "接续帮扶", "url": "https://mzt.shanxi.gov.cn/", "order": 1}
            ],
        )
        report = import_mechanism(text)

        landline = HelpChannel.objects.get(value="+863511234567")
        self.assertEqual(landline.display_value, "0351-1234567")
        self.assertEqual((landline.days, landline.opens_at, landline.closes_at), ([1, 2, 3, 4, 5], T0830, T1730))
        self.assertEqual(landline.hours_note, "法定节假日除外")
        self.assertEqual(list(landline.areas.values_list("code", flat=True)), ["140000"])
        self.assertEqual((landline.groups, landline.needs), (["everyone"], ["basic_living", "medical"]))
        self.assertTrue(landline.is_public)
        email = HelpChannel.objects.get(kind="email")
        self.assertEqual((email.value, email.is_public, email.display_order), ("Jiuzhu@mzt.shanxi.gov.cn", False, 2))
        short = HelpChannel.objects.get(value="12349")
        self.assertEqual((short.open_24_hours, short.last_verified_on), (True, datetime.date(2026, 5, 1)))
        self.assertEqual(HelpChannel.objects.get(kind="window").days, [1, 3, 5, 7])
        project = BrandProject.objects.get()
        self.assertEqual((project.unit.code, project.summary, project.display_order), ("mz", "接续帮扶", 1))
        self.assertEqual(len(report.created), 1 + 1 + 1 + 4 + 1)

    def test_reimport_matches_the_normalised_number_and_updates_in_place(self):
        import_mechanism(channel_file([hotline(description="旧说明")], [{"name": "希望工程"}]))
        before = counts()

        again = import_mechanism(channel_file([hotline("0351 123 4567", description="旧说明")], [{"name": "希望工程"}]))
        self.assertFalse(again.changed)

        report = import_mechanism(channel_file([hotline(description="新说明")], [{"name": "希望工程", "order": 3}]))
        self.assertEqual(counts()["HelpChannel"], 1)
        self.assertEqual(counts()["BrandProject"], 1)
        self.assertEqual(HelpChannel.objects.get().description, "新说明")
        self.assertEqual(BrandProject.objects.get().display_order, 3)
        self.assertEqual({type(obj).__name__ for obj in report.updated}, {"HelpChannel", "BrandProject"})
        self.assertEqual(counts()["ModelLogEntry"], before["ModelLogEntry"] + 2)

    def test_a_new_verification_date_is_vouched_for_by_the_importer(self):
        verifier = get_user_model().objects.create(username="verifier")
        importer = get_user_model().objects.create(username="importer")
        import_mechanism(channel_file([hotline(verified_on=datetime.date(2026, 1, 5))]), user=verifier)
        import_mechanism(channel_file([hotline(verified_on=datetime.date(2026, 1, 5))]), user=importer)
        self.assertEqual(HelpChannel.objects.get().last_verified_by, verifier)
        import_mechanism(channel_file([hotline(verified_on=datetime.date(2026, 6, 5))]), user=importer)
        self.assertEqual(HelpChannel.objects.get().last_verified_by, importer)

    def test_times_and_leading_zeros_stay_text(self):
        text = channel_file([hotline("0000", hours={"days": "mon-fri", "opens": "08:30", "closes": "17:30"})])
        text = text.replace("value: '0000'", "value: 03514035312").replace("closes: '17:30'", "closes: 17:30")
        import_mechanism(text)
        channel = HelpChannel.objects.get()
        self.assertEqual((channel.value, channel.closes_at), ("+863514035312", T1730))


class BrokenChannelTest(TestCase):
    def assert_refused_at(self, text, fragment, message_part):
        with translation.override("en"), self.assertRaises(FileError) as refused:
            import_mechanism(text)
        self.assertEqual(refused.exception.line, line_number(text, fragment), str(refused.exception))
        self.assertIn(message_part, str(refused.exception))
        self.assertEqual(set(counts().values()), {0}, "something was imported")

    def test_bad_values_name_their_line_and_nothing_is_imported(self):
        good = hotline("12349")
        cases = [
            (hotline("0351-12"), "value: 0351-12", "valid Chinese phone number"),
            (hotline("12399"), "value: '12399'", "not one of the national service numbers"),
            ({"kind": "email", "value": "jiuzhu@"}, "value: jiuzhu@", "valid e-mail address"),
            ({"kind": "web_form", "value": "www.example.cn"}, "value: www.example.cn", "https://"),
            (hotline(kind="fax"), "kind: fax", "kind must be one of hotline, email"),
            (hotline(areas=["15000"]), "areas:", "15000 is not a six-digit area code"),
            (hotline(areas=["150000"]), "areas:", "the area 150000 is not known"),
            (hotline(groups=["everyone", "aliens"]), "groups:", "not aliens"),
            (hotline(needs="basic_living"), "needs:", "needs must be a list"),
            (hotline(needs=["money"]), "needs:", "not money"),
            (hotline(hours={"days": "weekdays"}), "days: weekdays", "mon-fri"),
            (hotline(hours={"days": [0, 1]}), "days:", "mon-fri"),
            (hotline(hours={"days": "fri-mon"}), "days: fri-mon", "mon-fri"),
            (hotline(hours={"days": "mon-fri", "opens": "25:00", "closes": "26:00"}), "opens:", '"08:30"'),
            (hotline(hours={"days": "mon-fri", "opens": "17:30", "closes": "08:30"}), "hours:", "closing time"),
            (hotline(hours={"opens": "08:30"}), "hours:", "opening and the closing"),
            (hotline(hours={"24h": True, "opens": "08:30", "closes": "17:30"}), "24h: true", "open 24 hours"),
            (hotline(hours={"24h": "yes"}), "24h: 'yes'", "true or false"),
            (hotline(order=-1), "order: -1", "whole number"),
            (hotline(public="no"), "public: 'no'", "true or false"),
            (hotline(verified_on="2026-02-30"), "verified_on: '2026-02-30'", "date"),
            (hotline(fax="1"), "fax:", "unknown key fax"),
            (hotline("0351 123 4567"), "value: 0351 123 4567", "appears twice"),
        ]
        for channel, fragment, message_part in cases:
            with self.subTest(fragment=fragment):
                extra = [hotline()] if "appears twice" in message_part else []
                self.assert_refused_at(channel_file([good, *extra, channel]), fragment, message_part)

    def test_bad_projects_name_their_line(self):
        cases = [
            ({"summary": "没有名字"}, "summary: 没有名字", "name is missing"),
            ({"name": "希望工程", "url": "not an address"}, "url: not an address", "URL"),
            ({"name": "希望工程", "owner": "团省委"}, "owner:", "unknown key owner"),
        ]
        for project, fragment, message_part in cases:
            with self.subTest(fragment=fragment):
                self.assert_refused_at(channel_file(projects=[project]), fragment, message_part)
        twice = channel_file(projects=[{"name": "希望工程"}, {"name": "希望工程", "order": 2}])
        with translation.override("en"), self.assertRaises(FileError) as refused:
            import_mechanism(twice)
        self.assertEqual(refused.exception.line, line_number(twice, "order: 2") - 1)
        self.assertIn("appears twice", str(refused.exception))

    def test_areas_must_lie_in_the_mechanisms_area(self):
        province, city = (text for _path, text in demo_files(2026))
        import_mechanism(province)
        before = counts()
        city = replace_line(city, 'areas: ["140100"]', 'areas: ["140000"]')
        with translation.override("en"), self.assertRaises(FileError) as refused:
            import_mechanism(city)
        self.assertEqual(refused.exception.line, line_number(city, 'areas: ["140000"]'))
        self.assertIn("outside", str(refused.exception))
        self.assertEqual(counts(), before)


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
