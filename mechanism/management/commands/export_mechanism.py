from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mechanism.files.exporter import export_mechanism
from mechanism.models import Mechanism


class Command(BaseCommand):
    help = "Write the mechanism of an area as YAML (docs/mechanism-file.md) to standard output or a file."

    def add_arguments(self, parser):
        parser.add_argument("area_code", help="six-digit GB/T 2260 code, e.g. 140000")
        parser.add_argument("-o", "--output", help="write to this file instead of standard output")

    def handle(self, *args, **options):
        try:
            text = export_mechanism(options["area_code"])
        except Mechanism.DoesNotExist:
            raise CommandError(_("No mechanism for the area code %(code)s.") % {"code": options["area_code"]}) from None
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
