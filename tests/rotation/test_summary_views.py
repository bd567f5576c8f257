"""The summary screens: readers see figures, charts and narrative; the convener's liaison and the secretariat
draft; both approve; others get a message and no change; another mechanism's user 404; anonymous the login."""

import datetime

import time_machine
from django.contrib.messages import get_messages
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rotation.models import AnnualSummary, SummaryState
from rotation.summaries.services import NARRATIVE_MAX, refresh_figures, start_summary, update_narrative
from rotation.summaries.views import IndexView
from tests.base import CastTestCase
from tests.casework import make_case, resident_id
from tests.factories import (
    SHANGHAI,
    AreaFactory,
    ConvenerTermFactory,
    MechanismFactory,
    MembershipFactory,
    MemberUnitFactory,
    jan1,
)

NOW = datetime.datetime(2026, 12, 10, 10, 0, tzinfo=SHANGHAI)
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def url(name, *args):
    return reverse(f"rotation_summaries:{name}", args=args)


@time_machine.travel(NOW)
class SummaryViewTests(CastTestCase):
    def setUp(self):
        make_case(self.province, source="member_unit", source_unit=self.zgh, needs=["housing"])
        self.summary = start_summary(self.province, 2026, now=NOW)

    def post(self, user, name, data=None, **extra):
        self.summary.refresh_from_db()
        data = {"updated_at": self.summary.updated_at.isoformat(), **(data or {})}
        return self.login(user).post(url(name, self.summary.pk), data, **extra)

    def messages(self, response):
        return [str(message) for message in get_messages(response.wsgi_request)]

    def fresh(self):
        return AnnualSummary.objects.get(pk=self.summary.pk)

    def test_readers_see_the_figures_the_charts_and_the_document_link(self):
        for user in (self.secretariat, self.supervisor, self.convener_liaison, self.other_liaison):
            with self.subTest(user.username):
                response = self.login(user).get(url("detail", self.summary.pk), **EN)
                self.assertEqual(response.status_code, 200)
                self.assertIn(("Cases received", 1), response.context["key_figures"])
                self.assertContains(response, url("chart", self.summary.pk, "cases_by_need"))
                self.assertContains(response, reverse("xianjie_documents:download", args=["summary", self.summary.pk]))
                self.assertContains(response, "山西省总工会")  # the reporting unit's name, looked up when shown

    def test_the_buttons_follow_who_may_act(self):
        response = self.login(self.convener_liaison).get(url("detail", self.summary.pk))
        self.assertEqual(response.context["can"], {"edit": True, "approve": False, "return": False})
        self.assertContains(response, 'data-summary-action="submit"')
        response = self.login(self.supervisor).get(url("detail", self.summary.pk))
        self.assertEqual(response.context["can"], {"edit": False, "approve": False, "return": False})
        self.assertNotContains(response, 'data-summary-action="')

    def test_the_whole_life_through_the_screens(self):
        response = self.login(self.convener_liaison).get(url("edit", self.summary.pk))
        self.assertEqual(response.status_code, 200)
        response = self.post(self.convener_liaison, "edit", {"achievements": "成效", "problems": "", "plans": "计划"})
        self.assertRedirects(response, url("detail", self.summary.pk))
        self.assertEqual((self.fresh().achievements, self.fresh().plans), ("成效", "计划"))
        self.assertRedirects(self.post(self.convener_liaison, "submit"), url("detail", self.summary.pk))
        self.assertEqual(self.fresh().state, SummaryState.SUBMITTED)
        self.post(self.secretariat, "return", {"reason": "补充数据"})
        self.assertEqual(self.fresh().state, SummaryState.DRAFTING)
        self.post(self.secretariat, "refresh")
        self.post(self.secretariat, "submit")
        self.post(self.secretariat, "approve")
        self.assertEqual(self.fresh().state, SummaryState.SUBMITTED)
        response = self.login(self.convener_liaison).get(url("detail", self.summary.pk))
        self.assertTrue(response.context["can"]["approve"])
        self.post(self.convener_liaison, "approve")
        self.assertEqual(self.fresh().state, SummaryState.APPROVED)

    def test_a_supervisor_reads_only(self):
        response = self.login(self.supervisor).get(url("edit", self.summary.pk))
        self.assertRedirects(response, url("detail", self.summary.pk))
        response = self.post(self.supervisor, "edit", {"achievements": "改", "problems": "", "plans": ""}, **EN)
        self.assertRedirects(response, url("detail", self.summary.pk))
        self.assertEqual(self.fresh().achievements, "")
        update_narrative(self.summary, self.secretariat, "成效", "", "")
        self.post(self.secretariat, "submit")
        response = self.post(self.supervisor, "approve", **EN)
        self.assertIn("Only the secretariat and the convener", " ".join(self.messages(response)))
        self.assertIsNone(self.fresh().secretariat_approved_at)

    def test_edit_is_refused_after_submitting(self):
        update_narrative(self.summary, self.secretariat, "成效", "", "")
        self.post(self.secretariat, "submit")
        response = self.post(self.convener_liaison, "edit", {"achievements": "晚了", "problems": "", "plans": ""})
        self.assertRedirects(response, url("detail", self.summary.pk))
        self.assertEqual(self.fresh().achievements, "成效")

    def test_a_narrative_too_long_shows_the_form_again_with_a_message(self):
        long = "长" * (NARRATIVE_MAX + 1)
        response = self.post(self.convener_liaison, "edit", {"achievements": long, "problems": "", "plans": ""}, **EN)
        self.assertEqual(response.status_code, 400)
        self.assertIn(str(NARRATIVE_MAX), " ".join(self.messages(response)))
        self.assertEqual(response.context["form"]["achievements"].value(), long)  # the text is not lost
        self.assertEqual(self.fresh().achievements, "")

    def test_a_narrative_section_missing_from_the_post_is_named_not_called_stale(self):
        update_narrative(self.summary, self.secretariat, "成效", "问题", "计划")
        before = self.fresh().updated_at
        response = self.post(self.convener_liaison, "edit", {"achievements": "新成效"}, **EN)
        self.assertEqual(response.status_code, 400)
        said = self.messages(response)
        self.assertEqual(len(said), 2, said)
        self.assertTrue(said[0].startswith("Problems: This section was not sent"), said)
        self.assertTrue(said[1].startswith("Work plan for next year: This section was not sent"), said)
        self.assertNotIn("Someone else changed this", " ".join(said))
        self.assertTrue(response.context["form"].errors["problems"])
        self.assertEqual(response.context["form"]["achievements"].value(), "新成效")  # the text is not lost
        fresh = self.fresh()
        self.assertEqual((fresh.achievements, fresh.problems, fresh.plans), ("成效", "问题", "计划"))
        self.assertEqual(fresh.updated_at, before)

    def test_a_section_too_long_is_named_with_its_limit(self):
        long = "长" * (NARRATIVE_MAX + 1)
        response = self.post(self.convener_liaison, "edit", {"achievements": "", "problems": long, "plans": ""}, **EN)
        self.assertEqual(response.status_code, 400)
        (said,) = self.messages(response)
        self.assertTrue(said.startswith("Problems: "), said)
        self.assertIn(f"at most {NARRATIVE_MAX} characters", said)
        self.assertNotIn("Someone else", said)
        self.assertEqual(self.fresh().problems, "")

    def test_a_page_older_than_the_summary_is_refused(self):
        old = self.summary.updated_at.isoformat()
        refresh_figures(self.summary, self.secretariat)
        narrative = {"achievements": "旧", "problems": "", "plans": ""}
        for data in ({"updated_at": old}, {"updated_at": "not a date"}, {"updated_at": "2026-13-45T99"}, {}):
            with self.subTest(data):
                client = self.login(self.convener_liaison)
                response = client.post(url("submit", self.summary.pk), data, **EN)
                self.assertIn("Someone else changed this", " ".join(self.messages(response)))
                response = client.post(url("edit", self.summary.pk), {**narrative, **data}, **EN)
                self.assertEqual(response.status_code, 400)
                self.assertIn("Someone else changed this", " ".join(self.messages(response)))
        self.assertEqual((self.fresh().state, self.fresh().achievements), (SummaryState.DRAFTING, ""))

    def test_the_submitted_summary_shows_the_figures_of_its_submission(self):
        update_narrative(self.summary, self.convener_liaison, "成效", "", "")
        make_case(
            self.province,
            source="member_unit",
            source_unit=self.tsw,
            needs=["medical"],
            id_number=resident_id(serial="777"),
        )
        submitted_at = datetime.datetime(2026, 12, 28, 16, 30, tzinfo=SHANGHAI)
        with time_machine.travel(submitted_at, tick=False):
            self.assertRedirects(self.post(self.convener_liaison, "submit"), url("detail", self.summary.pk))
        response = self.login(self.supervisor).get(url("detail", self.summary.pk), **EN)
        self.assertIn(("Cases received", 2), response.context["key_figures"])
        self.assertContains(
            response, '<dd data-figures-at="2026-12-28T16:30:00+08:00">2026-12-28 16:30</dd>', html=True
        )

    def test_the_chart_is_a_png_and_an_unknown_one_404(self):
        response = self.login(self.supervisor).get(url("chart", self.summary.pk, "cases_by_unit"))
        self.assertEqual((response.status_code, response["Content-Type"]), (200, "image/png"))
        self.assertTrue(response.content.startswith(b"\x89PNG"))
        self.assertEqual(self.client.get(url("chart", self.summary.pk, "pie")).status_code, 404)

    def test_the_secretariat_starts_this_years_summary_from_the_index(self):
        self.summary.delete()
        response = self.login(self.convener_liaison).get(url("index"))
        self.assertEqual(response.context["startable"], [])
        response = self.login(self.convener_liaison).post(url("start", self.province.pk))
        self.assertFalse(AnnualSummary.objects.exists())
        response = self.login(self.secretariat).get(url("index"))
        self.assertEqual(response.context["startable"], [(self.province, 2026)])
        response = self.login(self.secretariat).post(url("start", self.province.pk))
        summary = AnnualSummary.objects.get()
        self.assertRedirects(response, url("detail", summary.pk))
        self.assertEqual((summary.year, summary.convener_unit), (2026, self.tsw))
        self.assertEqual(self.login(self.secretariat).get(url("index")).context["summaries"], [summary])

    def test_outsiders_get_404_and_anonymous_the_login_page(self):
        pk = self.summary.pk
        gets = [url("detail", pk), url("edit", pk), url("chart", pk, "monthly")]
        posts = [url(name, pk) for name in ("edit", "refresh", "submit", "return", "approve")]
        posts.append(url("start", self.province.pk))
        client = self.login(self.outsider)
        for target in gets:
            self.assertEqual(client.get(target).status_code, 404, target)
        for target in posts:
            self.assertEqual(client.post(target, {"updated_at": "x"}).status_code, 404, target)
        self.assertEqual(client.get(url("index")).context["summaries"], [])
        self.assertEqual(client.get(url("detail", pk + 1000)).status_code, 404)
        self.client.logout()
        for target in [url("index"), *gets]:
            response = self.client.get(target)
            self.assertEqual(response.status_code, 302, target)
            self.assertIn(reverse("wagtailadmin_login"), response["Location"])
        for target in posts:
            self.assertIn(reverse("wagtailadmin_login"), self.client.post(target)["Location"])
        self.assertEqual(self.fresh().state, SummaryState.DRAFTING)
        self.assertEqual(AnnualSummary.objects.count(), 1)


@time_machine.travel(NOW)
class SummaryQueryTests(CastTestCase):
    def count(self, client, target):
        client.get(target)  # warm the per-process caches (site, locale)
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(client.get(target).status_code, 200)
        return len(queries)

    def test_the_screens_do_not_query_more_with_more_data(self):
        summary = start_summary(self.province, 2026, now=NOW)
        client = self.login(self.convener_liaison)
        targets = [
            url("index"),
            url("detail", summary.pk),
            url("edit", summary.pk),
            url("chart", summary.pk, "cases_by_unit"),
        ]
        few = [self.count(client, target) for target in targets]
        for number in range(12):
            make_case(
                self.province,
                source="member_unit",
                source_unit=[self.zgh, self.tsw][number % 2],
                needs=["medical", "housing"][: 1 + number % 2],
                id_number=resident_id(serial=f"{200 + number}"),
            )
        refresh_figures(summary, self.secretariat)
        start_summary(self.province, 2025, now=NOW)
        self.assertEqual(AnnualSummary.objects.get(pk=summary.pk).figures["cases"]["received"]["count"], 12)
        self.assertEqual([self.count(client, target) for target in targets], few)

    def index_queries(self, user):
        """The queries of the index view itself, its template response not rendered: the admin menu, on every
        admin page, is left out (meetings' menu item queries once per mechanism; not this view's doing)."""
        counts = []
        for _time in range(2):  # the first warms the per-process caches
            request = RequestFactory().get(url("index"))
            request.user = type(user).objects.get(pk=user.pk)  # a fresh user: nothing cached on it
            with CaptureQueriesContext(connection) as queries:
                response = IndexView.as_view()(request)
            self.assertEqual(response.status_code, 200)
            counts.append(len(queries))
        return counts[-1]

    def test_the_index_does_not_query_more_for_more_mechanisms_managed(self):
        """The secretariat of one mechanism, then of three; the superuser of two, then of four."""
        users = (self.secretariat, self.admin)
        few = [self.index_queries(user) for user in users]
        for code in ("610000", "620000"):
            mechanism = MechanismFactory(area=AreaFactory(code=code))
            unit = MemberUnitFactory(mechanism=mechanism, code="mz")
            ConvenerTermFactory(unit=unit, starts_at=jan1(2026))
            MembershipFactory(user=self.secretariat, unit=unit, role="secretariat")
        for user in users:
            startable = self.login(user).get(url("index")).context["startable"]
            self.assertEqual([(m.area.code, year) for m, year in startable][-2:], [("610000", 2026), ("620000", 2026)])
        self.assertEqual(len(self.login(self.secretariat).get(url("index")).context["startable"]), 3)
        self.assertEqual([self.index_queries(user) for user in users], few)
