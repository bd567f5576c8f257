"""Browser tests: Playwright for Python driving Debian's Chromium against a live test server.

The browser is Debian's `chromium` (`.ci/run` installs it); set CHROMIUM_PATH to use another.
Where no browser is installed the tests are skipped, except under CI, where they fail.
"""

import contextlib
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
        self.visit(page, "/admin/login/", once=True)
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url("**/admin/")
        self.audit(page, once=True)
        return page

    def setUp(self):
        super().setUp()
        call_command("seed_demo", verbosity=0)
        self._contexts = []
        self.audited = {}  # URL (without the origin) -> axe's serious and critical violations there
        self.loaded = []  # every page loaded in this test, in order

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
        page.on("load", lambda: self._loaded(page))
        return page

    # Accessibility of every page a journey visits ------------------------------------------------------------
    # Opt in: reach pages with visit() (or audit() after a click that navigated) and end the test with
    # assert_every_page_accessible(), which also fails when a page was loaded and never audited.

    def _loaded(self, page):
        self.loaded.append(self._path(page.url))

    def _path(self, url):
        return url.removeprefix(self.live_server_url)

    def visit(self, page, url, once=False):
        page.goto(url)
        self.audit(page, once=once)

    def audit(self, page, once=False):
        """axe-core on the page now (after animations settle, e.g. a success message fading in); `once` skips
        a page this test audited already at the same address (the login form)."""
        page.wait_for_load_state()
        path = self._path(page.url)
        if once and path in self.audited:
            return
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        with contextlib.suppress(PlaywrightTimeout):  # an endless animation: audit as it is
            page.wait_for_function(
                "() => document.getAnimations().every(a => a.playState !== 'running')", timeout=3_000
            )
        self.audited.setdefault(path, []).extend(self.axe_serious(page))

    def submit(self, page, locator):
        """Click a button that posts a form, wait for the page that answers, and audit it."""
        with page.expect_navigation():
            locator.click()
        self.audit(page)

    def action_form(self, page, name):
        """The casework form posting action=`name`, its <details> opened when it is closed."""
        details = page.locator(f"details:has(input[name=action][value={name}])")
        if details.count() and details.first.get_attribute("open") is None:
            details.first.locator("summary").first.click()
        return page.locator(f"form:has(input[name=action][value={name}])")

    def assert_every_page_accessible(self):
        missed = [path for path in dict.fromkeys(self.loaded) if path not in self.audited]
        self.assertEqual(missed, [], "pages loaded but never audited")
        found = [f"{path}: {line}" for path, lines in self.audited.items() for line in lines]
        self.assertEqual(found, [], "axe-core: serious or critical violations\n" + "\n".join(found))
        self.assertGreater(len(self.audited), 0)

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
