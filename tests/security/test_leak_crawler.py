"""The leak crawler: each role of the cast walks every URL the project has, filled with objects that are not its
own, and must be refused, see no foreign reference number, name, phone or ID number, and change nothing.

World: seed_demo (Shanxi with cases in every state, meetings, minutes, handover, summary; Taiyuan with its
secretariat and escalated cases), furnished by tests/security/scene.py (a Taiyuan supervisor, calendar feeds,
document jobs, access-log rows, a public document, distinctive meetings, minutes and summaries).
"""

import io
import tempfile

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase, override_settings
from wagtail.documents import get_document_model

from mechanism.models import Case
from tests import guarantees

from . import scene
from .crawler import Unclassified, body_text, classify, is_denied, routes
from .world import World

EXPORTS = ("", "?export=csv", "?export=xlsx")


class LeakCrawlerTestCase(TestCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        cls.media = tempfile.TemporaryDirectory()  # the public document's file
        cls.enterClassContext(override_settings(MEDIA_ROOT=cls.media.name))
        cls.addClassCleanup(cls.media.cleanup)
        super().setUpClass()

    @classmethod
    def setUpTestData(cls):
        call_command("seed_demo", stdout=io.StringIO())
        users = scene.build()
        cls.ty_secretariat, cls.ty_supervisor, cls.liaison = (
            users[k] for k in ("ty_secretariat", "ty_supervisor", "liaison")
        )

    def walk(self, user, only=None, methods=("get", "post")):
        """Crawl every classified route (or those `only` accepts): (problems, requests, foreign models changed)."""
        self.client.raise_request_exception = False  # a 500 is a finding, not the end of the crawl
        if user is not None:
            self.client.force_login(user)
        world = World(user)
        sources, markers = world.sources(), world.markers()
        self.assertTrue(markers and sources["case"] and sources["document"])
        post_only = world.post_only()
        before = _snapshot(world)
        readable = {
            f"/admin/meetings/{kw['pk']}/" for kw in sources["minutes"] if kw["pk"] not in world.foreign_meetings()
        }
        problems, fetched, self.shown = [], 0, set()
        for route in routes():
            rule = classify(route)
            if rule.kind == "skip" or (only and not only(route)):
                continue
            for path, must_deny in _paths(route, rule, sources, world, user):
                for method in methods if rule.kind == "object" else ("get",):
                    response = getattr(self.client, method)(path)
                    refused = must_deny
                    if must_deny and not is_denied(response) and response.status_code in (301, 302):
                        # Unpublished minutes of a meeting the role reads: refused back to that meeting's screen.
                        refused = response["Location"] not in readable
                        response = self.client.get(response["Location"])  # e.g. revisions/ -> history/
                    fetched += 1
                    problems += _check(response, f"{method.upper()} {path}", refused, markers, self.shown)
            for kwargs in post_only.get(rule.source, []) if rule.kind == "object" and "post" in methods else []:
                response, fetched = self.client.post(route.path(kwargs)), fetched + 1
                problems += _check(response, f"POST {route.path(kwargs)}", False, markers, self.shown)
        after = _snapshot(world)
        return problems, fetched, [str(model) for model in before if before[model] != after[model]]

    def crawl(self, user, role):
        problems, fetched, changed = self.walk(user)
        self.assertEqual(changed, [], f"{role}: foreign rows changed by the crawl")
        self.assertEqual(problems, [], f"{role}: {len(problems)} leaks in {fetched} requests")
        self.assertGreater(fetched, 300)
        guarantees.add("crawl", "urls", fetched, role=role)
        guarantees.add("crawl", "leaks", len(problems), role=role)

    def test_crawler_reports_what_a_superuser_may_see(self):
        """The crawler can fail: the superuser sees every case, so the case screens answer 200 and show them."""
        admin = get_user_model().objects.get(username="admin")
        problems, fetched, _changed = self.walk(admin, only=lambda r: r.name.startswith("casework:"), methods=("get",))
        case = Case.objects.filter(mechanism__area__code="140000").order_by("pk").first()
        self.assertIn(f"GET /admin/casework/case/{case.pk}/: answered 200 ", problems)
        export = "GET /admin/casework/cases/?export=csv: shows"
        listed = [problem for problem in problems if problem.startswith(export)]
        self.assertEqual(len(listed), 1, problems)

    def test_crawler_reports_the_business_a_superuser_may_see(self):
        """The crawler can fail on business texts: the superuser's list screens show every mechanism's meetings,
        places, topics, series and unpublished channels; the distinctive texts of Taiyuan are all markers."""
        admin = get_user_model().objects.get(username="admin")
        secrets = {marker for marker in World(admin).business_markers() if scene.SECRET in marker}
        self.assertEqual(len(secrets), 17, secrets)
        problems, _fetched, _changed = self.walk(admin, only=lambda r: classify(r).kind == "list", methods=("get",))
        shown = {marker for marker in self.shown if scene.SECRET in marker}
        for expected in (
            "太原保密样本专题会商",
            "太原建议议题保密样本己",
            "太原保密样本例会系列",
            "太原内部专线保密样本癸",
        ):
            self.assertIn(expected, shown, problems)
        self.assertIn("GET /admin/meetings/list/: shows", "\n".join(problems))

    def test_every_url_pattern_is_classified(self):
        unclassified = []
        for route in routes():
            try:
                classify(route)
            except Unclassified as error:
                unclassified.append(str(error))
        self.assertEqual(unclassified, [])

    def test_secretariat_of_another_mechanism_sees_nothing_of_it(self):
        self.crawl(self.ty_secretariat, "secretariat of another mechanism")

    def test_supervisor_of_another_mechanism_sees_nothing_of_it(self):
        self.crawl(self.ty_supervisor, "supervisor of another mechanism")

    def test_liaison_sees_nothing_of_other_units(self):
        world = World(self.liaison)
        markers = world.business_markers()
        # Its unit neither convenes now nor was asked to review the draft minutes: their texts are hidden from it.
        self.assertIn(f"山西纪要草稿{scene.SECRET}子", markers)
        self.assertIn(f"太原会议决定{scene.SECRET}丁", markers)
        self.assertNotIn("冬季困难群众取暖救助专题会商", markers)  # a meeting of its own mechanism
        self.assertTrue(world.hidden_minutes().exists() and world.sources()["minutes"])
        self.crawl(self.liaison, "liaison of another unit")

    def test_anonymous_visitor_sees_nothing(self):
        self.crawl(None, "anonymous")


def _paths(route, rule, sources, world, user):
    """(path, must be refused) for each fetch of the route."""
    if rule.kind == "object":
        for kwargs in sources[rule.source]:
            yield route.path(kwargs), True
        return
    if rule.kind == "public":  # must be served: must_deny None
        document = get_document_model().objects.order_by("pk").first()
        yield f"/documents/{document.pk}/{document.filename}", None
        return
    admin = route.route.startswith("admin/")
    must_deny = admin and (user is None or (rule.kind == "core" and rule.source != "open"))
    if rule.kind == "core" and route.params:
        yield route.path(_core_fill(route, world)), must_deny
        return
    if route.params:
        raise AssertionError(f"{route.name}: a list rule for a pattern with parameters")
    exports = EXPORTS if route.name.endswith(":index") or route.name == "casework:cases" else ("",)
    for query in exports:
        yield route.path({}) + query, must_deny


def _core_fill(route, world):
    """Wagtail core screens: the first row of their model (a foreign user for the user screens), else 1."""
    model = route.model
    kwargs = {}
    for name in route.params:
        if name.startswith("revision_id"):
            kwargs[name] = "earliest" if name.endswith("a") else "latest"
            continue
        if name in ("app_name", "model_name", "filter_spec", "uidb64", "token", "action_name", "app_label"):
            kwargs[name] = "x"
            continue
        if model is get_user_model():
            kwargs[name] = world.memberships().values_list("user_id", flat=True).first()
        elif model is not None:
            kwargs[name] = model._default_manager.order_by("pk").values_list("pk", flat=True).first() or 1
        else:
            kwargs[name] = 2 if "page" in name else 1
    return kwargs


def _check(response, label, must_deny, markers, shown):
    problems = []
    if response.status_code >= 500 or (must_deny is None and response.status_code != 200):
        problems.append(f"{label}: {response.status_code}")
    if must_deny and not is_denied(response):
        problems.append(f"{label}: answered {response.status_code} {response.get('Location', '')}")
    text = body_text(response)
    found = [marker for marker in markers if marker in text]
    shown.update(found)
    if found:
        problems.append(f"{label}: shows {found[:5]}")
    return problems


def _snapshot(world):
    rows = {model: list(queryset.order_by("pk").values()) for model, queryset in world.foreign().items()}
    for model, queryset in world.read_only().items():
        rows[f"{model.__name__} (read only)"] = list(queryset.order_by("pk").values())
    return rows
