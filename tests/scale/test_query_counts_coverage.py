"""Every admin list and dashboard has a query-count test: the admin URL patterns without parameters that answer
200 to a superuser are the lists, dashboards and forms; a form or a screen of Wagtail's own library is excluded
here with its reason, and every other one must be counted by a class of tests/scale/test_query_counts_*.py."""

from django.test import TestCase
from django.urls import reverse

from tests.factories import MechanismFactory, UserFactory
from tests.security.crawler import classify, routes

from . import test_query_counts_casework as casework
from . import test_query_counts_meetings as meetings
from . import test_query_counts_rotation as rotation
from . import test_query_counts_settings_screens as settings_screens

# The classes that count (imported through their modules, so that pytest does not collect them here again).
COUNTED = (
    casework.CaseworkQueryCountTests,
    meetings.MeetingsQueryCountTests,
    rotation.RotationQueryCountTests,
    settings_screens.SettingsScreensQueryCountTests,
)

# Screens that show no rows that grow with the country: forms and the user's own settings.
EXCLUDED = {
    "casework:report": "the intake form (one case at a time)",
    "meetings_admin:new": "the form of a new meeting",
    "rotation_handovers:create": "a POST action (a GET goes back to the index)",
    "meetings_calendar_feed": "the user's own calendar feed: one row",
    "meetings_calendar_feed_create": "a POST action on the user's own feed",
    "meetings_calendar_feed_revoke": "a POST action on the user's own feed",
    "wagtailadmin_account": "the user's own account form",
    "wagtailadmin_dismissibles": "the user's own dismissed hints (JSON)",
    "wagtailadmin_block_preview": "the preview of one StreamField block",
}
FORM_SUFFIXES = (":add", ":add_multiple", ":start_import", ":process_import", ":select_task_type", "_create")

# Wagtail's own screens, superuser-only, over data the project does not grow: the public page tree and its
# reports, choosers and API, collections, workflows, redirects, embeds, sites, groups; documents and images
# (no model of the project uses them).
WAGTAIL_PREFIXES = (
    "wagtailadmin_api:",
    "wagtailadmin_choose_",
    "wagtailadmin_tag_",
    "wagtailadmin_explore_root",
    "wagtailadmin_pages:",
    "wagtailadmin_collections:",
    "wagtailadmin_workflows:",
    "wagtailadmin_reports:",
    "wagtailforms:",
    "wagtailredirects:",
    "wagtailembeds:",
    "wagtailsnippets:",
    "wagtaildocs",
    "wagtailimages",
    "wagtailsites:",
    "wagtailusers_groups:",
)


def excluded(route):
    """The reason a parameterless admin pattern needs no query-count test, or ''."""
    rule = classify(route)
    if rule.kind == "skip":
        return rule.source
    if route.name in EXCLUDED:
        return EXCLUDED[route.name]
    if route.name.endswith(FORM_SUFFIXES):
        return "a form for one new object"
    if route.name.startswith(WAGTAIL_PREFIXES):
        return "Wagtail's own screen over data the project does not grow"
    return ""


def counted():
    return set().union(*(case.covers for case in COUNTED))


class EveryAdminListIsCountedTests(TestCase):
    def test_every_admin_list_has_a_query_count_test(self):
        MechanismFactory()  # the casework screens send a user who reads no mechanism away
        self.client.force_login(UserFactory(username="scale-admin", is_superuser=True, is_staff=True))
        lists, missing = set(), []
        for route in routes():
            if not route.route.startswith("admin/") or route.params or excluded(route):
                continue
            if self.client.get(route.path({})).status_code != 200:
                continue
            lists.add(route.name)
            if route.name not in counted():
                missing.append(route.name)
        self.assertEqual(missing, [], "admin lists without a query-count test: add them to tests/scale")
        self.assertGreaterEqual(len(lists), 25, sorted(lists))
        self.assertLessEqual({"casework:queue", "casework:supervision", "casework:filing"}, lists)

    def test_the_counted_names_are_admin_urls(self):
        """A screen renamed or removed leaves no stale name behind."""
        for name in sorted(counted()):
            with self.subTest(name=name):
                if name == "rotation_admin:forecast":
                    self.assertTrue(reverse(name, args=[1]))
                else:
                    self.assertTrue(reverse(name).startswith("/admin/"))
