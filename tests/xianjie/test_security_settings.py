"""Headers, the production deploy check, uploads and rich text."""

import os
import subprocess
import sys

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.utils import translation
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.documents import get_document_model
from wagtail.documents.forms import get_document_form
from wagtail.images.forms import get_image_form
from wagtail.images.models import Image

from tests.base import CastTestCase
from xianjie.models import INTRO_FEATURES

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class HeadersTest(CastTestCase):
    def assert_policy(self, response):
        policy = response["Content-Security-Policy"]
        for directive in (
            "default-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "frame-ancestors 'none'",
            "form-action 'self'",
            "img-src 'self' data:",
        ):
            self.assertIn(directive, policy)
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
        unsafe = sorted(name for name, sources in directives.items() if "unsafe" in sources)
        self.assertEqual(unsafe, [])  # no inline script, no inline style
        self.assertNotIn("unsafe-eval", policy)
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Referrer-Policy"], "same-origin")

    def test_a_public_page_carries_the_policy(self):
        self.assert_policy(self.client.get("/help/request/"))

    def test_an_admin_page_carries_the_policy(self):
        self.assert_policy(self.login(self.secretariat).get("/admin/meetings/new/"))

    def test_wagtails_inline_date_picker_script_carries_the_nonce_of_the_header(self):
        # The site history report's filter renders Wagtail's date inputs with their inline script.
        response = self.login(self.admin).get("/admin/reports/site-history/")
        self.assert_policy(response)
        nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
        html = response.content.decode()
        self.assertIn(f'<script nonce="{nonce}">init', html)
        self.assertNotIn("<script>", html)


def production_environment():
    return {
        **os.environ,
        "SECRET_KEY": "production-test-" + Fernet.generate_key().decode() * 2,
        "PERSONAL_DATA_KEYS": Fernet.generate_key().decode(),
        "PERSONAL_DATA_HASH_KEY": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "xianjie.example.org",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "DJANGO_SETTINGS_MODULE": "xianjie.settings.production",
    }


def deploy_check(env):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--settings=xianjie.settings.production"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.returncode, result.stdout + result.stderr


class DeployCheckTest(TestCase):
    def test_the_deploy_check_finds_nothing_in_production_settings(self):
        returncode, output = deploy_check(production_environment())
        self.assertEqual(returncode, 0, output)
        self.assertIn("System check identified no issues", output)
        self.assertNotIn("WARNINGS", output)

    def test_without_redis_the_deploy_check_warns_that_the_cache_is_per_process(self):
        env = production_environment()
        del env["REDIS_URL"]
        returncode, output = deploy_check(env)
        self.assertEqual(returncode, 0, output)
        self.assertIn("xianjie.W001", output)
        self.assertIn("REDIS_URL is not set", output)


class UploadsTest(CastTestCase):
    def document_form(self, name, content):
        form_class = get_document_form(get_document_model())
        upload = SimpleUploadedFile(name, content)
        return form_class(data={"title": name, "collection": "1"}, files={"file": upload}, user=self.admin)

    def test_documents_other_than_pdf_and_docx_are_refused_with_a_message(self):
        for name in ("page.html", "drawing.svg", "setup.exe"):
            form = self.document_form(name, b"<script>alert(1)</script>")
            self.assertFalse(form.is_valid(), name)
            self.assertIn("file", form.errors, name)

    def test_a_pdf_is_accepted(self):
        form = self.document_form("letter.pdf", PDF)
        self.assertTrue(form.is_valid(), form.errors)

    @override_settings(XIANJIE_MAX_DOCUMENT_SIZE=1024)
    def test_an_oversize_document_is_refused(self):
        with translation.override("en"):
            form = self.document_form("big.pdf", PDF + b"0" * 2048)
            self.assertFalse(form.is_valid())
            self.assertEqual(
                form.errors["file"], ["This file is too big (2.0\xa0KB). The largest document accepted is 1.0\xa0KB."]
            )
        with translation.override("zh-hans"):
            form = self.document_form("big.pdf", PDF + b"0" * 2048)
            self.assertFalse(form.is_valid())
            self.assertIn("文件过大", str(form.errors["file"]))

    def test_svg_images_are_refused(self):
        form_class = get_image_form(Image)
        upload = SimpleUploadedFile("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')
        form = form_class(data={"title": "logo", "collection": "1"}, files={"file": upload}, user=self.admin)
        self.assertFalse(form.is_valid())
        self.assertIn("file", form.errors)

    def test_a_served_document_is_an_attachment(self):
        document = get_document_model().objects.create(title="letter", file=SimpleUploadedFile("letter.pdf", PDF))
        response = self.client.get(document.url)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Disposition"].startswith("attachment"), response["Content-Disposition"])
        document.file.delete(save=False)


class RichTextTest(TestCase):
    def test_the_editor_round_trip_strips_script_and_event_handlers(self):
        converter = ContentstateConverter(features=INTRO_FEATURES)
        dirty = (
            '<p>Hello</p><script>alert(1)</script><p onclick="alert(4)"><img src="x" onerror="alert(2)"/>'
            '<a href="javascript:alert(3)">x</a></p>'
        )
        clean = converter.to_database_format(converter.from_database_format(dirty))
        for needle in ("<script", "onerror", "onclick", "javascript:", "<img"):
            self.assertNotIn(needle, clean)
        self.assertIn("Hello", clean)
