"""Fail unless every message of the source is translated in the committed catalogues.

The source (the apps, templates/ and locale/) is copied to a temporary directory and makemessages
runs there, so the committed tree is never touched. zh_Hans fails on a message that is missing,
untranslated or fuzzy, or whose placeholders differ from the msgid; en on a missing or fuzzy one.
Both .po files must pass `msgfmt --check`.

After adding or changing strings:

1. `make makemessages` refreshes locale/zh_Hans and locale/en.
2. In locale/zh_Hans/LC_MESSAGES/django.po, translate each empty msgstr and review each entry marked
   `#, fuzzy` (a guess by msgmerge), then delete the fuzzy mark. Keep %(name)s placeholders as they are.
3. English copies the msgid:
   `msgattrib --clear-fuzzy --empty -o locale/en/LC_MESSAGES/django.po locale/en/LC_MESSAGES/django.po`
   `msgen -o locale/en/LC_MESSAGES/django.po locale/en/LC_MESSAGES/django.po`
4. `make check-messages` (this command), then `make messages` to compile.
"""

import ast
import re
import shutil
import tempfile
from contextlib import chdir
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.utils import popen_wrapper
from django.test.utils import override_settings

SOURCES = ("mechanism", "meetings", "rotation", "xianjie", "templates")
SKIPPED = shutil.ignore_patterns(".venv", "var", "__pycache__", "*.mo")
DOMAIN_FILE = Path("LC_MESSAGES") / "django.po"

_FIELD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+(".*")$')
_PERCENT = re.compile(r"%(?:\(\w+\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa%]")
_BRACES = re.compile(r"\{[^{}]*\}")


class Entry(NamedTuple):
    flags: frozenset
    plural: str | None
    msgstrs: tuple


def read_po(path):
    """The entries of a .po or .pot file by (msgctxt, msgid); the header and obsolete entries are left out."""
    entries = {}
    for block in Path(path).read_text(encoding="utf-8").split("\n\n"):
        flags, fields, field = set(), {}, None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags.update(flag.strip() for flag in line[2:].split(","))
            elif (match := _FIELD.match(line)) is not None:
                field = match[1]
                fields[field] = ast.literal_eval(match[2])
            elif line.startswith('"') and field:
                fields[field] += ast.literal_eval(line)
        if fields.get("msgid"):
            msgstrs = tuple(value for name, value in sorted(fields.items()) if name.startswith("msgstr"))
            key = (fields.get("msgctxt"), fields["msgid"])
            entries[key] = Entry(frozenset(flags), fields.get("msgid_plural"), msgstrs)
    return entries


def placeholders(text, flags):
    found = []
    if "python-format" in flags:
        found += [p for p in _PERCENT.findall(text) if p != "%%"]
    if "python-brace-format" in flags:
        found += _BRACES.findall(text)
    return sorted(found)


def zh_problems(source, catalogue):
    for key, wanted in source.items():
        entry = catalogue.get(key)
        if entry is None:
            yield "missing", key
        elif "fuzzy" in entry.flags:
            yield "fuzzy", key
        elif not all(entry.msgstrs):
            yield "untranslated", key
        else:
            flags = wanted.flags | entry.flags
            expected = placeholders(wanted.plural or key[1], flags)
            if any(placeholders(msgstr, flags) != expected for msgstr in entry.msgstrs):
                yield "placeholders differ", key


def describe(key):
    context, msgid = key
    return f"{msgid!r}" + (f" (context {context!r})" if context else "")


class Command(BaseCommand):
    help = "Fail when a zh_Hans message is missing, untranslated, fuzzy or has other placeholders, or en lacks one."

    def add_arguments(self, parser):
        parser.add_argument(
            "--source-dir", type=Path, default=Path(settings.BASE_DIR), help="project to extract messages from"
        )
        parser.add_argument("--locale-dir", type=Path, help="catalogues to check (default: SOURCE_DIR/locale)")

    def handle(self, *args, source_dir, locale_dir, **options):
        source_dir = Path(source_dir)
        locale_dir = Path(locale_dir) if locale_dir else source_dir / "locale"
        source = self.extract(source_dir, locale_dir)
        zh_po, en_po = locale_dir / "zh_Hans" / DOMAIN_FILE, locale_dir / "en" / DOMAIN_FILE
        zh, en = self.read(zh_po), self.read(en_po)
        problems = [f"msgfmt --check {po}: {error}" for po in (zh_po, en_po) if (error := self.msgfmt_error(po))]
        problems += [f"zh_Hans {what}: {describe(key)}" for what, key in zh_problems(source, zh)]
        problems += [f"en missing: {describe(key)}" for key in source if key not in en]
        problems += [f"en fuzzy: {describe(key)}" for key in source if key in en and "fuzzy" in en[key].flags]
        if problems:
            raise CommandError(f"{len(problems)} translation problem(s):\n  " + "\n  ".join(problems))
        self.stdout.write(self.style.SUCCESS(f"Translations complete: {len(source)} messages in zh_Hans and en."))

    def extract(self, source_dir, locale_dir):
        """The messages of the source, from makemessages run on a temporary copy."""
        with tempfile.TemporaryDirectory(prefix="xianjie-messages-") as tmp:
            root = Path(tmp)
            for name in SOURCES:
                if (source_dir / name).is_dir():
                    shutil.copytree(source_dir / name, root / name, ignore=SKIPPED)
            if locale_dir.is_dir():
                shutil.copytree(locale_dir, root / "locale", ignore=SKIPPED)
            (root / "locale").mkdir(exist_ok=True)
            # LOCALE_PATHS is where makemessages writes: point it at the copy.
            with chdir(root), override_settings(LOCALE_PATHS=[str(root / "locale")]):
                call_command("makemessages", locale=["zh_Hans", "en"], no_obsolete=True, keep_pot=True, verbosity=0)
            return read_po(root / "locale" / "django.pot")

    def read(self, po):
        if not po.is_file():
            raise CommandError(f"{po} does not exist: run `make makemessages`.")
        return read_po(po)

    def msgfmt_error(self, po):
        _out, errors, status = popen_wrapper(["msgfmt", "--check", "-o", "/dev/null", str(po)])
        return errors.strip() if status else ""
