from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mechanism.case_import import ImportRefused, import_cases
from mechanism.models import Mechanism, MemberUnit


class Command(BaseCommand):
    help = (
        "Report a member unit's batch of cases from a CSV file (docs/case-import.md). All or nothing: "
        "any problem refuses the whole file. Running it again creates the cases again."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the CSV file (UTF-8, with or without BOM)")
        parser.add_argument("--area", required=True, help="six-digit GB/T 2260 code of the mechanism, e.g. 140000")
        parser.add_argument("--unit", required=True, help="short code of the reporting member unit, e.g. zgh")
        parser.add_argument(
            "--confirm-duplicates",
            action="store_true",
            help="import rows the duplicate guard warns about (the warnings are printed)",
        )
        parser.add_argument("--dry-run", action="store_true", help="check everything, save nothing")

    def handle(self, *args, **options):
        path = Path(options["file"])
        mechanism = _mechanism(options["area"])
        unit = _unit(mechanism, options["unit"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": error}) from None
        try:
            result = import_cases(
                data, mechanism, unit, confirm_duplicates=options["confirm_duplicates"], dry_run=options["dry_run"]
            )
        except ImportRefused as refused:
            lines = [str(problem) for problem in refused.problems]
            if any(problem.duplicate for problem in refused.problems):
                lines.append(_("If these are not the same people, run again with --confirm-duplicates."))
            raise CommandError(
                _("%(path)s was not imported, nothing changed:") % {"path": path} + "\n" + "\n".join(lines)
            ) from None
        for warning in result.warnings:
            self.stdout.write(str(warning))
        references = ", ".join(case.reference for case in result.cases)
        count = len(result.cases)
        if result.dry_run:
            message = ngettext(
                "%(path)s: %(count)d case would be reported by %(unit)s; nothing saved (dry run).",
                "%(path)s: %(count)d cases would be reported by %(unit)s; nothing saved (dry run).",
                count,
            )
        else:
            message = ngettext(
                "%(path)s: %(count)d case reported by %(unit)s: %(references)s.",
                "%(path)s: %(count)d cases reported by %(unit)s: %(references)s.",
                count,
            )
        self.stdout.write(message % {"path": path, "count": count, "unit": unit.name, "references": references})


def _mechanism(code):
    mechanism = Mechanism.objects.filter(area__code=code.strip()).select_related("area").first()
    if mechanism is None:
        raise CommandError(_("No mechanism for the area code %(code)s.") % {"code": code})
    return mechanism


def _unit(mechanism, code):
    unit = MemberUnit.objects.filter(mechanism=mechanism, code=code.strip()).first()
    if unit is None:
        raise CommandError(
            _("%(mechanism)s has no member unit with the short code %(code)s.")
            % {"mechanism": mechanism.name, "code": code}
        )
    if not unit.is_active_on(timezone.localdate()):
        raise CommandError(_("%(unit)s has left the mechanism.") % {"unit": unit.name})
    return unit
