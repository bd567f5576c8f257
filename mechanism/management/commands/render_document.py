"""manage.py render_document KIND PK OUTPUT.docx: one official document, as the admin download builds it."""

from django.core.exceptions import ObjectDoesNotExist
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mechanism.documents import registry


def kind_names():
    return ", ".join(kind.name for kind in registry.kinds())


class Command(BaseCommand):
    help = "Write one official document (.docx) in the GB/T 9704 layout."

    def add_arguments(self, parser):
        parser.add_argument("kind", help=f"The kind of document: {kind_names()}.")
        parser.add_argument("pk", type=int, help="The object's primary key (the meeting's for meeting documents).")
        parser.add_argument("output", help="Where to write the .docx file.")

    def handle(self, *args, kind, pk, output, **options):
        try:
            document_kind = registry.get_kind(kind)
        except LookupError:
            raise CommandError(
                _("Unknown kind of document “%(kind)s”; choose one of: %(kinds)s.")
                % {"kind": kind, "kinds": kind_names()}
            ) from None
        try:
            obj = document_kind.get(pk)
        except ObjectDoesNotExist:
            raise CommandError(
                _("There is no %(kind)s document for %(pk)s: no such object.") % {"kind": kind, "pk": pk}
            ) from None
        data = registry.render(document_kind, obj)  # no user: the access log records the command line as None
        try:
            with open(output, "wb") as handle:
                handle.write(data)
        except OSError as error:
            raise CommandError(_("Cannot write %(path)s: %(error)s") % {"path": output, "error": error}) from None
        self.stdout.write(output)
