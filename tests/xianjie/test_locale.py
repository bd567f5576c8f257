"""zh_Hans and en are complete, the check fails on a broken catalogue, and the interface follows the language."""

import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, TestCase, override_settings
from django.urls import reverse
from django.utils import translation

from mechanism.models import MemberUnit

LOCALE = Path(__file__).resolve().parents[2] / "locale"
CATALOGUE = Path("LC_MESSAGES") / "django.po"


def check_translations(**options):
    out = io.StringIO()
    call_command("check_translations", stdout=out, **options)
    return out.getvalue()


def edit_entry(po, msgid, edit):
    """Replace the entry of msgid in a .po file by edit(entry); None removes it."""
    entries = po.read_text(encoding="utf-8").split("\n\n")
    line = re.compile("^msgid " + re.escape(f'"{msgid}"') + "$", re.M)
    found = [i for i, entry in enumerate(entries) if line.search(entry)]
    assert len(found) == 1, f"{msgid!r} is not in {po} once"
    entries[found[0]] = edit(entries[found[0]])
    po.write_text("\n\n".join(entry for entry in entries if entry is not None), encoding="utf-8")


def blank(entry):
    return re.sub(r'^msgstr ".*"(\n".*")*', 'msgstr ""', entry, flags=re.M)


def fuzzy(entry):
    return re.sub(r"^msgid ", "#, fuzzy\nmsgid ", entry, count=1, flags=re.M)


def misspell_placeholder(entry):
    head, msgstr = entry.split("\nmsgstr", 1)
    return head + "\nmsgstr" + msgstr.replace("%(unit)s", "%(units)s")


class CommittedCataloguesTest(SimpleTestCase):
    def test_every_message_is_translated(self):
        self.assertIn("Translations complete", check_translations())


class BrokenCatalogueTest(SimpleTestCase):
    """One run of the check on a copy of locale/ with one defect of each kind."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        locale = Path(cls.enterClassContext(tempfile.TemporaryDirectory())) / "locale"
        shutil.copytree(LOCALE, locale, ignore=shutil.ignore_patterns("*.mo"))
        zh, en = locale / "zh_Hans" / CATALOGUE, locale / "en" / CATALOGUE
        edit_entry(zh, "member unit", blank)
        edit_entry(zh, "convener term", fuzzy)
        edit_entry(zh, "%(unit)s is not a member unit on the day the term starts.", misspell_placeholder)
        edit_entry(en, "Joint mechanism", lambda entry: None)
        try:
            check_translations(locale_dir=locale)
        except CommandError as error:
            cls.failure = str(error)
        else:
            cls.failure = None

    def test_the_check_fails(self):
        self.assertIsNotNone(self.failure)

    def test_names_the_untranslated_message(self):
        self.assertIn("zh_Hans untranslated: 'member unit'", self.failure)

    def test_names_the_fuzzy_message(self):
        self.assertIn("zh_Hans fuzzy: 'convener term'", self.failure)

    def test_names_the_message_with_other_placeholders(self):
        self.assertIn("zh_Hans placeholders differ: '%(unit)s is not a member unit", self.failure)

    def test_names_the_message_missing_in_english(self):
        self.assertIn("en missing: 'Joint mechanism'", self.failure)

    def test_names_nothing_else(self):
        self.assertNotIn("convener terms", self.failure)
        self.assertNotIn("'member units'", self.failure)


class LanguageTest(TestCase):
    """The committed catalogues, compiled afresh so a stale or missing .mo cannot hide a problem."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        compiled = Path(cls.enterClassContext(tempfile.TemporaryDirectory()))
        for language in ("zh_Hans", "en"):
            (compiled / language / "LC_MESSAGES").mkdir(parents=True)
            mo = compiled / language / CATALOGUE.with_suffix(".mo")
            subprocess.run(["msgfmt", "--check", "-o", mo, LOCALE / language / CATALOGUE], check=True)
        cls.enterClassContext(override_settings(LOCALE_PATHS=[str(compiled)]))

    def test_model_names_in_chinese_and_english(self):
        with translation.override("zh-hans"):
            self.assertEqual(str(MemberUnit._meta.verbose_name), "成员单位")
        with translation.override("en"):
            self.assertEqual(str(MemberUnit._meta.verbose_name), "member unit")

    def test_login_page_is_chinese_by_default_with_wagtail_gaps_filled(self):
        response = self.client.get(reverse("wagtailadmin_login"))
        self.assertContains(response, 'lang="zh-hans"')
        self.assertContains(response, "Wagtail 需要 JavaScript")  # from xianjie/wagtail_gaps.py

    def test_login_page_in_english_on_request(self):
        response = self.client.get(reverse("wagtailadmin_login"), headers={"accept-language": "en"})
        self.assertContains(response, "JavaScript is required to use Wagtail")
