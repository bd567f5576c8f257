"""The leak crawler: each role of the cast walks every URL the project has, filled with objects that are not its
own, and must be refused, see no foreign reference number, name, phone or ID number, and change nothing.

World: seed_demo (Shanxi with cases in every state, meetings, minutes, handover, summary; Taiyuan with its
secretariat and escalated cases), plus a Taiyuan supervisor, calendar feeds, document jobs and access-log rows.
"""

import io

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase

from mechanism.models import AccessKind, Assignment, Case, DocumentJob, Membership, MemberUnit, PersonalDataAccess, Role
from meetings.models import CalendarFeed, Meeting
from tests import guarantees

from .crawler import Unclassified, body_text, classify, is_denied, routes
from .world import World

EXPORTS = ("", "?export=csv", "?export=xlsx")


class LeakCrawlerTestCase(TestCase):
    maxDiff = None

    @classmethod
    def setUpTestData(cls):
        call_command("seed_demo", stdout=io.StringIO())
        users = get_user_model().objects
        cls.ty_secretariat = users.get(username="ty_secretariat")
        cls.ty_supervisor = users.create(username="ty_supervisor", first_name="太原市监督 钱监督")
        ty_mz = MemberUnit.objects.get(mechanism__area__code="140100", code="mz")
        Membership.objects.create(user=cls.ty_supervisor, unit=ty_mz, role=Role.SUPERVISOR)
        cls.liaison = users.get(username="liaison_zgh")
        for username in ("secretariat", "liaison_mz", "ty_secretariat"):
            CalendarFeed.objects.create(user=users.get(username=username))
        for username, area in (("secretariat", "140000"), ("ty_secretariat", "140100")):
            user = users.get(username=username)
            case = Case.objects.filter(mechanism__area__code=area).order_by("pk").first()
            PersonalDataAccess.objects.create(user=user, mechanism=case.mechanism, case=case, kind=AccessKind.VIEW)
            assignment = Assignment.objects.filter(mechanism__area__code=area, case__isnull=False).first()
            if assignment:
                DocumentJob.objects.create(kind="referral", object_id=assignment.pk, requested_by=user)
        meeting = Meeting.objects.filter(mechanism__area__code="140000").first()
        DocumentJob.objects.create(kind="minutes", object_id=meeting.pk, requested_by=users.get(username="secretariat"))

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
        problems, fetched = [], 0
        for route in routes():
            rule = classify(route)
            if rule.kind == "skip" or (only and not only(route)):
                continue
            for path, must_deny in _paths(route, rule, sources, world, user):
                for method in methods if rule.kind == "object" else ("get",):
                    response = getattr(self.client, method)(path)
                    if must_deny and not is_denied(response) and response.status_code in (301, 302):
                        response = self.client.get(response["Location"])  # e.g. revisions/ -> history/
                    fetched += 1
                    problems += _check(response, f"{method.upper()} {path}", must_deny, markers)
            for kwargs in post_only.get(rule.source, []) if rule.kind == "object" and "post" in methods else []:
                response, fetched = self.client.post(route.path(kwargs)), fetched + 1
                problems += _check(response, f"POST {route.path(kwargs)}", False, markers)
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
        self.crawl(self.liaison, "liaison of another unit")

    def test_anonymous_visitor_sees_nothing(self):
        self.crawl(None, "anonymous")


def _paths(route, rule, sources, world, user):
    """(path, must be refused) for each fetch of the route."""
    if rule.kind == "object":
        for kwargs in sources[rule.source]:
            yield route.path(kwargs), True
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


def _check(response, label, must_deny, markers):
    problems = []
    if response.status_code >= 500:
        problems.append(f"{label}: {response.status_code}")
    if must_deny and not is_denied(response):
        problems.append(f"{label}: answered {response.status_code} {response.get('Location', '')}")
    text = body_text(response)
    found = [marker for marker in markers if marker in text]
    if found:
        problems.append(f"{label}: shows {found[:5]}")
    return problems


def _snapshot(world):
    rows = {model: list(queryset.order_by("pk").values()) for model, queryset in world.foreign().items()}
    for model, queryset in world.read_only().items():
        rows[f"{model.__name__} (read only)"] = list(queryset.order_by("pk").values())
    return rows
