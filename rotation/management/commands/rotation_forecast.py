"""manage.py rotation_forecast AREA_CODE [--years N] [--json]: the conveners of the coming years and why."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mechanism.models import Mechanism

from ...plans import mechanism_forecast
from ...rules import RotationError
from ...wording import reason


class Command(BaseCommand):
    help = "Print the conveners of a mechanism for the coming years, each with the reason."

    def add_arguments(self, parser):
        parser.add_argument("area_code", help="the area code of the mechanism, e.g. 140000")
        parser.add_argument("--years", type=int, default=10, help="how many years (1 to 100; default 10)")
        parser.add_argument("--json", action="store_true", help="a JSON list of {year, unit, unit_name, reason}")

    def handle(self, area_code, years, json=False, **options):
        if not 1 <= years <= 100:
            raise CommandError(_("Give between 1 and 100 years."))
        mechanism = Mechanism.objects.filter(area__code=area_code).first()
        if mechanism is None:
            raise CommandError(_("No mechanism has the area code %(code)s.") % {"code": area_code})
        try:
            names, turns = mechanism_forecast(mechanism, years)
        except RotationError as error:
            raise CommandError(str(error)) from None
        rows = [
            {"year": t.year, "unit": t.unit, "unit_name": names.get(t.unit, t.unit), "reason": reason(t, names)}
            for t in turns
        ]
        if json:
            self.stdout.write(_dumps(rows))
            return
        for row in rows:
            self.stdout.write(f"{row['year']} {row['unit_name']} — {row['reason']}")


def _dumps(rows):
    return json.dumps(rows, ensure_ascii=False, indent=2)
