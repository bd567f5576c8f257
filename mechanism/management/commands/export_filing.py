import datetime
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mechanism.filing import export_filing
from mechanism.models import Mechanism
from mechanism.services.errors import ActionRefused

OPEN_MODES = {"csv": {"mode": "w", "encoding": "utf-8", "newline": ""}, "xlsx": {"mode": "wb"}}


class Command(BaseCommand):
    help = (
        "Write the cases a mechanism resolved or closed in a period as a filing for the low-income population "
        "monitoring platform (docs/filing-export.md). ID numbers are masked unless --full-ids with --reason."
    )

    def add_arguments(self, parser):
        parser.add_argument("--area", required=True, help="six-digit GB/T 2260 code of the mechanism, e.g. 140000")
        parser.add_argument("--from", dest="start", required=True, help="first day resolved, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="last day resolved (included), YYYY-MM-DD")
        parser.add_argument("--format", choices=["csv", "xlsx"], help="default: from the file name, else csv")
        parser.add_argument("--full-ids", action="store_true", help="full ID numbers instead of masked ones")
        parser.add_argument("--reason", default="", help="why full ID numbers are needed; written to the access log")
        parser.add_argument("-o", "--output", required=True, help="the file to write")

    def handle(self, *args, **options):
        start = _date(options["start"], "--from")
        end = _date(options["end"], "--to")
        if end < start:
            raise CommandError(_("--to (%(end)s) is before --from (%(start)s).") % {"end": end, "start": start})
        mechanism = _mechanism(options["area"])
        path = Path(options["output"])
        fmt = options["format"] or ("xlsx" if path.suffix.lower() == ".xlsx" else "csv")
        if options["full_ids"] and not options["reason"].strip():
            raise CommandError(_("--full-ids needs --reason: why the full ID numbers are needed (it is logged)."))
        partial = path.with_name(path.name + ".part")
        try:
            with open(partial, **OPEN_MODES[fmt]) as stream:
                count = export_filing(
                    mechanism,
                    start,
                    end,
                    stream,
                    by=None,
                    fmt=fmt,
                    full_ids=options["full_ids"],
                    reason=options["reason"],
                )
            os.replace(partial, path)
        except ActionRefused as refused:
            partial.unlink(missing_ok=True)
            raise CommandError(str(refused)) from None
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise CommandError(_("Cannot write %(path)s: %(error)s") % {"path": path, "error": error}) from None
        ids = _("full ID numbers") if options["full_ids"] else _("masked ID numbers")
        self.stdout.write(
            ngettext(
                "%(count)d case of %(mechanism)s written to %(path)s (%(ids)s).",
                "%(count)d cases of %(mechanism)s written to %(path)s (%(ids)s).",
                count,
            )
            % {"count": count, "mechanism": mechanism.name, "path": path, "ids": ids}
        )


def _date(text, option):
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(
            _("%(option)s: “%(text)s” is not a date; write it as YYYY-MM-DD, e.g. 2026-01-01.")
            % {"option": option, "text": text}
        ) from None


def _mechanism(code):
    code = code.strip()
    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        raise CommandError(
            _("--area: “%(code)s” is not an area code; give six digits (GB/T 2260), e.g. 140000.") % {"code": code}
        )
    mechanism = Mechanism.objects.filter(area__code=code).select_related("area").first()
    if mechanism is None:
        raise CommandError(_("No mechanism for the area code %(code)s.") % {"code": code})
    return mechanism
