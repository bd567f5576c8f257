from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mechanism.files.importer import import_mechanism
from mechanism.files.yaml_lines import FileError


class Command(BaseCommand):
    help = "Import a mechanism (area, units, lead unit, convener terms) from a YAML file; idempotent."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the YAML file, see docs/mechanism-file.md")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": error}) from None
        try:
            report = import_mechanism(text)
        except FileError as error:
            raise CommandError(
                _("%(path)s was not imported, nothing changed: %(error)s") % {"path": path, "error": error}
            ) from None
        self.stdout.write(
            _("%(mechanism)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
            % {
                "mechanism": report.mechanism,
                "created": len(report.created),
                "updated": len(report.updated),
                "unchanged": report.unchanged,
            }
        )
