"""Recording swaps and defers on the rotation screen: the secretariat only, each with its reason and decision;
bad input is a message and nothing saved; an unsigned handover follows the new forecast."""

import datetime

import time_machine
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import Decision, ItemMinutes, Minutes, MinutesState
from rotation.handovers.services import create_handover
from rotation.models import Handover, HandoverState, RotationEvent, RotationEventKind
from rotation.services import record_defer, record_swap
from tests.base import CastTestCase
from tests.factories import MemberUnitFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

NOW = datetime.datetime(2026, 12, 2, 9, 0, tzinfo=datetime.UTC)
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@time_machine.travel(NOW, tick=False)
class EventFormTests(CastTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Joined in 2026: a member on 1 January 2027, so it waits in the current round with mz.
        cls.fl = MemberUnitFactory(
            mechanism=cls.province, code="fl", name="山西省妇女联合会", joined_on=datetime.date(2026, 6, 1)
        )

    def forecast_url(self, mechanism=None):
        return reverse("rotation_admin:forecast", args=[(mechanism or self.province).pk])

    def swap_url(self, mechanism=None):
        return reverse("rotation_admin:record_swap", args=[(mechanism or self.province).pk])

    def defer_url(self, mechanism=None):
        return reverse("rotation_admin:record_defer", args=[(mechanism or self.province).pk])

    def swap(self, first, second, year=2028, reason="工作调整", decision="2026年第2次联席会议决定", **extra):
        return {
            "swap-first": first.pk,
            "swap-second": second.pk,
            "swap-year": year,
            "swap-reason": reason,
            "swap-decision": decision,
            **extra,
        }

    def defer(self, unit, year=2027, reason="机构改革", decision="省民政厅函〔2026〕5号"):
        return {"defer-unit": unit.pk, "defer-year": year, "defer-reason": reason, "defer-decision": decision}

    def texts(self, response):
        return [str(message) for message in get_messages(response.wsgi_request)]

    def test_the_secretariat_sees_both_forms_and_readers_do_not(self):
        response = self.login(self.secretariat).get(self.forecast_url())
        self.assertContains(response, f'action="{self.swap_url()}"')
        self.assertContains(response, f'action="{self.defer_url()}"')
        units = [unit for unit, _label in response.context["swap_form"].fields["first"].choices if unit]
        self.assertEqual(
            sorted(str(unit) for unit in units), sorted(str(u.pk) for u in (self.mz, self.zgh, self.tsw, self.fl))
        )
        years = [year for year, _label in response.context["defer_form"].fields["year"].choices]
        self.assertEqual((years[0], years[-1]), (2027, 2037))  # tsw's term of 2026 has started: from 2027
        for user in (self.convener_liaison, self.other_liaison, self.supervisor):
            with self.subTest(user.username):
                response = self.login(user).get(self.forecast_url())
                self.assertEqual(response.status_code, 200)
                self.assertNotIn("swap_form", response.context)
                self.assertNotContains(response, self.swap_url())

    def test_a_recorded_swap_is_shown_with_its_reason(self):
        client = self.login(self.secretariat)
        response = client.post(self.swap_url(), self.swap(self.zgh, self.tsw), **EN)
        self.assertRedirects(response, self.forecast_url())
        event = RotationEvent.objects.get()
        self.assertEqual(
            (event.kind, event.unit, event.other_unit, event.year, event.recorded_by),
            (RotationEventKind.SWAP, self.zgh, self.tsw, 2028, self.secretariat),
        )
        self.assertIn(self.zgh.name, self.texts(response)[0])
        page = client.get(self.forecast_url())
        self.assertContains(page, "工作调整")
        self.assertContains(page, "2026年第2次联席会议决定")
        self.assertContains(page, f"{self.zgh.name} ⇄ {self.tsw.name}")

    def test_a_defer_without_a_reason_is_refused_and_nothing_saved(self):
        response = self.login(self.secretariat).post(self.defer_url(), self.defer(self.mz, reason="   "), **EN)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Nothing was saved", self.texts(response)[0])
        self.assertIn("reason", response.context["defer_form"].errors)
        self.assertFalse(RotationEvent.objects.exists())

    def test_a_defer_without_a_decision_is_refused(self):
        response = self.login(self.secretariat).post(self.defer_url(), self.defer(self.mz, decision=""), **EN)
        self.assertIn("decision", response.context["defer_form"].errors)
        self.assertFalse(RotationEvent.objects.exists())

    def test_a_swap_with_a_unit_that_has_left_is_refused(self):
        self.zgh.left_on = datetime.date(2026, 11, 1)
        self.zgh.save()
        response = self.login(self.secretariat).post(self.swap_url(), self.swap(self.zgh, self.tsw), **EN)
        self.assertEqual(response.status_code, 200)
        self.assertIn("has left", str(response.context["swap_form"].errors["first"]))
        self.assertFalse(RotationEvent.objects.exists())

    def test_the_same_swap_or_defer_twice_is_a_message_and_saves_nothing(self):
        client = self.login(self.secretariat)
        client.post(self.swap_url(), self.swap(self.zgh, self.tsw), **EN)
        client.post(self.defer_url(), self.defer(self.mz), **EN)
        self.assertEqual(RotationEvent.objects.count(), 2)
        for url, data, words in (
            (self.swap_url(), self.swap(self.tsw, self.zgh), "already recorded"),
            (self.defer_url(), self.defer(self.mz), "already passed over in 2027"),
        ):
            with self.subTest(words):
                response = client.post(url, data, **EN)
                self.assertEqual(response.status_code, 200)
                message = self.texts(response)[-1]  # after the success messages of the first posts
                self.assertIn("Nothing was saved", message)
                self.assertIn(words, message)
        self.assertEqual(RotationEvent.objects.count(), 2)

    def test_a_unit_that_leaves_before_the_year_is_a_message(self):
        self.zgh.left_on = datetime.date(2027, 12, 31)  # a member today and in 2027, not in 2028
        self.zgh.save()
        response = self.login(self.secretariat).post(self.swap_url(), self.swap(self.zgh, self.tsw), **EN)
        self.assertEqual(response.status_code, 200)
        [message] = self.texts(response)
        self.assertIn("Nothing was saved", message)
        self.assertIn(f"{self.zgh.name} is not a member unit on 1 January 2028", message)
        self.assertFalse(RotationEvent.objects.exists())

    def test_a_defer_when_no_other_unit_waits_is_refused_with_the_rules_reason(self):
        self.fl.delete()  # only mz waits in 2027 now
        response = self.login(self.secretariat).post(self.defer_url(), self.defer(self.mz), **EN)
        self.assertEqual(response.status_code, 200)
        [message] = self.texts(response)
        self.assertIn("Nothing was saved", message)
        self.assertIn(self.mz.name, message)
        self.assertFalse(RotationEvent.objects.exists())

    def test_a_year_in_the_past_or_an_odd_value_is_a_message_not_an_error(self):
        client = self.login(self.secretariat)
        for year in (2025, 2026, "abc", ""):  # 2026: the year of the current convener term
            with self.subTest(year=year):
                response = client.post(self.swap_url(), self.swap(self.zgh, self.tsw, year=year), **EN)
                self.assertEqual(response.status_code, 200)
                self.assertIn("year", response.context["swap_form"].errors)
        response = client.post(self.swap_url(), {"swap-first": "x", "swap-second": "999999"}, **EN)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(RotationEvent.objects.exists())

    def test_members_who_are_not_the_secretariat_are_refused(self):
        for user in (self.convener_liaison, self.other_liaison, self.supervisor):
            with self.subTest(user.username):
                response = self.login(user).post(self.swap_url(), self.swap(self.zgh, self.tsw), **EN)
                self.assertRedirects(response, self.forecast_url())
                self.assertIn("Only the secretariat", self.texts(response)[0])
                response = self.login(user).post(self.defer_url(), self.defer(self.mz), **EN)
                self.assertRedirects(response, self.forecast_url())
        self.assertFalse(RotationEvent.objects.exists())

    def test_outsider_gets_404_and_anonymous_the_login_page(self):
        client = self.login(self.outsider)
        self.assertEqual(client.post(self.swap_url(), self.swap(self.zgh, self.tsw)).status_code, 404)
        self.assertEqual(client.post(self.defer_url(), self.defer(self.mz)).status_code, 404)
        self.assertEqual(client.post(reverse("rotation_admin:record_swap", args=[999999]), {}).status_code, 404)
        # The outsider's own mechanism cannot take the province's units either.
        response = client.post(self.swap_url(self.taiyuan), self.swap(self.zgh, self.tsw), **EN)
        self.assertEqual(response.status_code, 200)
        self.assertIn("first", response.context["swap_form"].errors)
        self.client.logout()
        for url in (self.swap_url(), self.defer_url()):
            response = self.client.post(url, self.defer(self.mz))
            self.assertEqual(response.status_code, 302)
            self.assertIn(reverse("wagtailadmin_login"), response["Location"])
        self.assertFalse(RotationEvent.objects.exists())

    def test_get_on_the_record_urls_is_not_allowed(self):
        self.assertEqual(self.login(self.secretariat).get(self.swap_url()).status_code, 405)

    def test_the_handovers_incoming_unit_follows_a_recorded_swap(self):
        handover = create_handover(self.province, 2027, now=NOW)
        self.assertEqual(handover.incoming_unit, self.mz)
        response = self.login(self.secretariat).post(self.swap_url(), self.swap(self.mz, self.fl, year=2027), **EN)
        self.assertRedirects(response, self.forecast_url())
        handover.refresh_from_db()
        self.assertEqual(handover.incoming_unit, self.fl)
        self.assertTrue(any(self.fl.name in text and "2027" in text for text in self.texts(response)))
        self.assertEqual(RotationEvent.objects.get().kind, RotationEventKind.SWAP)

    def test_a_defer_moves_the_handover_and_a_signed_one_stays(self):
        handover = create_handover(self.province, 2027, now=NOW)
        record_defer(self.province, self.mz, 2027, "机构改革", "会议决定", by=self.secretariat, today=NOW.date())
        handover.refresh_from_db()
        self.assertEqual(handover.incoming_unit, self.fl)
        Handover.objects.filter(pk=handover.pk).update(state=HandoverState.SIGNED_OUTGOING)
        record_swap(self.province, self.fl, self.mz, 2027, "再调整", "会议决定", by=self.secretariat, today=NOW.date())
        handover.refresh_from_db()
        self.assertEqual(handover.incoming_unit, self.fl)

    def test_a_decision_can_be_picked_from_approved_minutes(self):
        meeting = MeetingFactory(mechanism=self.province)
        minutes = Minutes.objects.create(meeting=meeting)
        item = ItemMinutes.objects.create(minutes=minutes, agenda_item=AgendaItemFactory(meeting=meeting))
        decision = Decision.objects.create(item=item, text="同意省总工会与团省委对调轮值次序")
        client = self.login(self.secretariat)
        data = self.swap(self.zgh, self.tsw, decision="", **{"swap-meeting_decision": decision.pk})
        response = client.post(self.swap_url(), data, **EN)  # minutes not approved: not a choice
        self.assertIn("meeting_decision", response.context["swap_form"].errors)
        Minutes.objects.filter(pk=minutes.pk).update(state=MinutesState.APPROVED)
        response = client.post(self.swap_url(), data, **EN)
        self.assertRedirects(response, self.forecast_url())
        event = RotationEvent.objects.get()
        self.assertIn("同意省总工会与团省委对调轮值次序", event.decision)
        self.assertIn(str(meeting.year), event.decision)

    def test_queries_do_not_grow_with_the_events(self):
        client = self.login(self.secretariat)
        client.get(self.forecast_url())  # warm the per-process caches (site, locale)
        with CaptureQueriesContext(connection) as few:
            client.get(self.forecast_url())
        today = NOW.date()
        record_swap(self.province, self.zgh, self.tsw, 2029, "理由", "决定", by=self.secretariat, today=today)
        record_defer(self.province, self.tsw, 2029, "理由", "决定", by=self.secretariat, today=today)
        record_swap(self.province, self.mz, self.fl, 2031, "理由", "决定", by=self.secretariat, today=today)
        with CaptureQueriesContext(connection) as more:
            response = client.get(self.forecast_url())
        self.assertEqual(len(response.context["events"]), 3)
        self.assertEqual(len(more), len(few))
