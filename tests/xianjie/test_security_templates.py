"""xianjie's copies of Wagtail admin templates (xianjie/security/templates/wagtailadmin/) differ from Wagtail's
installed originals only by the CSP nonce: a Wagtail upgrade that changes an original fails here, with a diff."""

import difflib
import re
from pathlib import Path

import wagtail.admin
from django.test import SimpleTestCase

import xianjie.security

COPIES = Path(xianjie.security.__file__).parent / "templates" / "wagtailadmin"
ORIGINALS = Path(wagtail.admin.__file__).parent / "templates" / "wagtailadmin"
NONCE = "{% csp_nonce_attr %}"


def without_nonce(text):
    text = text.replace(NONCE, "").replace("{% load xianjie_csp %}", "")
    return re.sub(r"({% load [^%]*?) xianjie_csp( [^%]*)?%}", r"\1\2%}", text)


class WagtailTemplateCopiesTest(SimpleTestCase):
    maxDiff = None

    def copies(self):
        found = sorted(path.relative_to(COPIES) for path in COPIES.rglob("*.html"))
        self.assertGreaterEqual(len(found), 5)
        return found

    def test_each_copy_carries_the_nonce(self):
        for name in self.copies():
            with self.subTest(template=str(name)):
                self.assertIn(f"<script{NONCE}", (COPIES / name).read_text())

    def test_each_copy_equals_wagtails_original_once_the_nonce_is_removed(self):
        for name in self.copies():
            with self.subTest(template=str(name)):
                original = (ORIGINALS / name).read_text()
                copy = without_nonce((COPIES / name).read_text())
                diff = "".join(
                    difflib.unified_diff(
                        original.splitlines(keepends=True),
                        copy.splitlines(keepends=True),
                        f"wagtail/admin/templates/wagtailadmin/{name}",
                        f"xianjie/security/templates/wagtailadmin/{name} (nonce removed)",
                    )
                )
                self.assertEqual(diff, "", f"Wagtail's {name} changed: bring the copy up to date.\n{diff}")

    def test_the_comparison_sees_a_change_beyond_the_nonce(self):
        copy = (COPIES / "widgets" / "date_input.html").read_text()
        self.assertEqual(without_nonce(copy), (ORIGINALS / "widgets" / "date_input.html").read_text())
        self.assertNotEqual(without_nonce(copy.replace("initDateChooser", "initDate")), without_nonce(copy))
