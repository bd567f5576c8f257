"""manage.py rotation_forecast: the coming conveners of a mechanism from its units and terms, with reasons."""

import contextlib
import datetime
import json
from io import StringIO
from unittest import mock

import time_machine
from django.core.management import CommandError, ManagementUtility, call_command
from django.db import connections
from django.test import SimpleTestCase
from django.utils import translation

from mechanism.models import AreaLevel
from rotation.rules import Defer, Swap, Turn
from rotation.wording import reason
from tests.base import CastTestCase
from tests.factories import AreaFactory, MechanismFactory, MemberUnitFactory

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def zh(message):
    with translation.override("zh-hans"):
        return translation.gettext(message)


@time_machine.travel(NOW, tick=False)
class ForecastCommandTests(CastTestCase):
    def run_command(self, *args):
        out = StringIO()
        with translation.override("zh-hans"):
            call_command("rotation_forecast", *args, stdout=out)
        return out.getvalue()

    def test_ten_years_after_the_current_term_with_reasons(self):
        lines = self.run_command("140000").splitlines()
        self.assertEqual(len(lines), 10)
        # zgh (2025) and tsw (2026) convened in this cycle: mz is the one waiting, then a new round from the top.
        self.assertEqual(lines[0], f"2027 山西省民政厅 — {zh('Next in the rotation order')}")
        self.assertEqual(lines[1], f"2028 山西省民政厅 — {zh('A new round of the rotation begins')}")
        self.assertEqual(
            [line.split(" ")[1] for line in lines[2:5]], ["山西省总工会", "共青团山西省委员会", "山西省民政厅"]
        )

    def test_json_lists_year_unit_name_and_reason(self):
        rows = json.loads(self.run_command("140000", "--years", "3", "--json"))
        self.assertEqual(
            [(r["year"], r["unit"], r["unit_name"]) for r in rows][:2],
            [(2027, "mz", "山西省民政厅"), (2028, "mz", "山西省民政厅")],
        )
        self.assertEqual(rows[2]["reason"], zh("Next in the rotation order"))

    def test_a_unit_that_joins_waits_in_the_current_cycle(self):
        MemberUnitFactory(
            mechanism=self.province, code="fl", name="山西省妇女联合会", joined_on=datetime.date(2026, 6, 1)
        )
        rows = json.loads(self.run_command("140000", "--years", "3", "--json"))
        self.assertEqual([r["unit"] for r in rows], ["mz", "fl", "mz"])

    def test_no_eligible_unit_is_a_clear_error(self):
        self.province.units.update(left_on=datetime.date(2026, 6, 1))
        with self.assertRaisesMessage(
            CommandError, zh("No member unit is eligible to convene in %(year)s.") % {"year": 2027}
        ):
            self.run_command("140000")

    def test_unknown_area_and_bad_years(self):
        with self.assertRaisesMessage(
            CommandError, zh("No mechanism has the area code %(code)s.") % {"code": "999999"}
        ):
            self.run_command("999999")
        with self.assertRaisesMessage(CommandError, zh("Give between 1 and 100 years.")):
            self.run_command("140000", "--years", "0")

    def test_a_mechanism_whose_units_have_all_left_is_a_clear_error(self):
        self.province.units.update(left_on=datetime.date(2026, 2, 1))
        message = zh("%(mechanism)s has no active member units, so no convener can be forecast.")
        with self.assertRaisesMessage(CommandError, message % {"mechanism": self.province.name}):
            self.run_command("140000", "--json")

    def test_a_mechanism_without_units_is_a_clear_error_and_exits_non_zero(self):
        empty = MechanismFactory(area=AreaFactory(code="140200", name="大同市", level=AreaLevel.CITY))
        stderr = StringIO()
        # run_from_argv closes every database connection when it ends, which would end the test's transaction.
        with (
            contextlib.redirect_stderr(stderr),
            mock.patch.object(connections, "close_all"),
            self.assertRaises(SystemExit) as exited,
        ):
            ManagementUtility(["manage.py", "rotation_forecast", "140200"]).execute()
        self.assertEqual(exited.exception.code, 1)
        self.assertIn(empty.name, stderr.getvalue())
        self.assertNotIn("Traceback", stderr.getvalue())


class WordingTests(SimpleTestCase):
    def test_swap_and_defer_are_said_with_their_decision_and_reason(self):
        names = {"cl": "山西省残疾人联合会", "fl": "山西省妇女联合会"}
        swap = Swap("cl", "fl", 2028, "工作需要", "2026年第2次联席会议决定")
        defer = Defer("fl", 2029, "机构改革")
        with translation.override("zh-hans"):
            text = reason(Turn(2029, "cl", swaps=(swap,), took_over_from=defer), names)
            expected = [
                zh("Next in the rotation order"),
                zh("swapped with %(unit)s from %(year)s (%(decision)s)")
                % {"unit": "山西省妇女联合会", "year": 2028, "decision": "2026年第2次联席会议决定"},
                zh("%(unit)s is deferred in %(year)s (%(reason)s)")
                % {"unit": "山西省妇女联合会", "year": 2029, "reason": "机构改革"},
            ]
            self.assertEqual(text, zh("; ").join(expected))
