"""Browser tests: Playwright for Python driving Debian's Chromium against a live test server.

The browser is Debian's `chromium` (`.ci/run` installs it); set CHROMIUM_PATH to use another.
Where no browser is installed the tests are skipped, except under CI, where they fail.
"""

import os
import shutil

from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.core.management import call_command

PHONE = {"width": 360, "height": 740}


def chromium_path():
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


class BrowserTestCase(StaticLiveServerTestCase):
    """A live server with the demo data, one Chromium for the class, a fresh context per page."""

    # No serialized_rollback: each test's flush empties the tables, and seed_demo builds the page tree
    # (root node, home pages, default site) again along with the demo data.

    @classmethod
    def setUpClass(cls):
        path = chromium_path()
        if not path:
            if os.environ.get("CI"):
                raise RuntimeError("Chromium is not installed: `.ci/run` installs Debian's chromium package.")
            import unittest

            raise unittest.SkipTest("Chromium is not installed (apt-get install chromium)")
        # Playwright's sync API runs an event loop in the test thread; the ORM calls the test makes
        # itself (fixtures, assertions) are still plain synchronous calls. Allowed for these classes only.
        cls._async_unsafe = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        super().setUpClass()
        from playwright.sync_api import sync_playwright

        cls._playwright = sync_playwright().start()
        cls.browser = cls._playwright.chromium.launch(executable_path=path, args=["--no-sandbox"])

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls._playwright.stop()
        super().tearDownClass()
        if cls._async_unsafe is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = cls._async_unsafe

    def login(self, username, password="xianjie-demo"):
        """A new desktop page logged in to the back office as this demo user."""
        page = self.new_page(viewport={"width": 1280, "height": 1000})
        page.goto("/admin/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url("**/admin/")
        return page

    def setUp(self):
        super().setUp()
        call_command("seed_demo", verbosity=0)
        self._contexts = []

    def tearDown(self):
        for context in self._contexts:
            context.close()
        super().tearDown()

    def new_page(self, javascript=True, viewport=None, locale="zh-CN"):
        context = self.browser.new_context(
            viewport=viewport or PHONE, java_script_enabled=javascript, locale=locale, base_url=self.live_server_url
        )
        self._contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    def axe_serious(self, page):
        """axe-core's serious and critical violations on the page, as readable lines."""
        from axe_playwright_python.sync_playwright import Axe

        results = Axe().run(page)
        found = []
        for violation in results.response["violations"]:
            if violation.get("impact") in ("serious", "critical"):
                targets = [node["target"] for node in violation["nodes"]][:5]
                found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
        return found
