"""The handover screens: readers of the mechanism see the handovers and the checklist, each user gets the buttons
for what they may do now, every action refuses outsiders (404), the anonymous (login), those who may only read
(a message, nothing changed) and a page older than the handover; queries do not grow with units and channels."""

import datetime

import time_machine
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mechanism.models import ConvenerTerm, HelpChannel
from rotation.models import AnnualSummary, Handover, HandoverState
from tests.factories import SHANGHAI, HelpChannelFactory, MemberUnitFactory
from tests.rotation.test_handover_lifecycle import NOW, TODAY, HandoverTestCase

H = HandoverState
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ACTIONS = ("meeting_held", "open_items", "sign_outgoing", "sign_incoming")


def message_of(response):
    """The message this response added (earlier unread ones stay queued while redirects are not followed)."""
    return [str(message) for message in get_messages(response.wsgi_request)][-1]


@time_machine.travel(NOW, tick=False)
class HandoverScreenTests(HandoverTestCase):
    def setUp(self):
        self.handover = self.ready_handover()
        self.mz_liaison = self.member("mz_liaison", self.mz, "liaison")

    def detail_url(self, handover=None):
        return reverse("rotation_handovers:detail", args=[(handover or self.handover).pk])

    def action_url(self, name, handover=None):
        return reverse(f"rotation_handovers:{name}", args=[(handover or self.handover).pk])

    def post(self, user, url, stamp=None, **extra):
        self.handover.refresh_from_db()
        data = {"updated_at": (stamp or self.handover.updated_at).isoformat()}
        return self.login(user).post(url, data, **EN, **extra)

    def test_readers_see_the_checklist_and_the_document_link(self):
        for user in (self.secretariat, self.supervisor, self.other_liaison, self.convener_liaison):
            with self.subTest(user.username):
                response = self.login(user).get(self.detail_url(), **EN)
                self.assertEqual(response.status_code, 200)
                self.assertEqual([item.key for item in response.context["items"] if item.done], [
                    "summary", "open_items", "channels", "contacts", "meeting",
                ])  # fmt: skip
                self.assertContains(response, "Help channels verified within 60 days")
                self.assertContains(
                    response, reverse("xianjie_documents:download", args=["handover", self.handover.pk])
                )
                self.assertContains(response, reverse("meetings_admin:meeting", args=[self.handover.meeting_id]))
                summary = AnnualSummary.objects.get(mechanism=self.province, year=2026)
                self.assertContains(response, reverse("rotation_summaries:detail", args=[summary.pk]))

    def test_each_user_gets_the_buttons_for_what_they_may_do(self):
        names = ("meeting_held", "open_items", "sign_outgoing", "sign_incoming")
        expected = {
            self.convener_liaison: dict(zip(names, (False, True, True, False), strict=True)),
            self.secretariat: dict(zip(names, (False, True, False, False), strict=True)),
            self.supervisor: dict.fromkeys(names, False),
            self.mz_liaison: dict.fromkeys(names, False),
        }
        for user, can in expected.items():
            with self.subTest(user.username):
                response = self.login(user).get(self.detail_url(), **EN)
                self.assertEqual(response.context["can"], can)
                for name in ACTIONS:
                    self.assertEqual(f'data-action="{name}"' in response.content.decode(), can[name], name)

    def test_the_outgoing_button_says_why_while_the_checklist_is_incomplete(self):
        HelpChannel.objects.filter(unit=self.zgh).update(last_verified_on=TODAY - datetime.timedelta(days=61))
        response = self.login(self.convener_liaison).get(self.detail_url(), **EN)
        self.assertContains(response, "data-blocked")
        self.assertContains(response, "Not yet done: Help channels verified within 60 days.")
        self.assertRegex(response.content.decode(), r'data-action="sign_outgoing">\s*.*\s*.*\s*<button[^>]*disabled')

    def test_signing_through_the_screens_moves_the_term(self):
        response = self.post(self.convener_liaison, self.action_url("sign_outgoing"))
        self.assertRedirects(response, self.detail_url(), fetch_redirect_response=False)
        self.assertEqual(message_of(response), "Signed as the outgoing convener.")
        response = self.login(self.mz_liaison).get(self.detail_url(), **EN)
        self.assertTrue(response.context["can"]["sign_incoming"])
        response = self.post(self.mz_liaison, self.action_url("sign_incoming"))
        self.assertEqual(Handover.objects.get(pk=self.handover.pk).state, H.COMPLETED)
        self.assertEqual(ConvenerTerm.objects.get(unit=self.mz).starts_at, NOW)
        self.assertEqual(self.province.convener_on(NOW + datetime.timedelta(seconds=1)), self.mz)

    def test_incomplete_checklist_refused_through_the_screen_nothing_changed(self):
        HelpChannel.objects.filter(unit=self.zgh).update(last_verified_on=None)
        response = self.post(self.convener_liaison, self.action_url("sign_outgoing"))
        self.assertIn("Help channels verified within 60 days", message_of(response))
        self.assertEqual(Handover.objects.get(pk=self.handover.pk).state, H.MEETING_HELD)

    def test_the_supervisor_reads_but_cannot_act(self):
        before = Handover.objects.get(pk=self.handover.pk).updated_at
        for name in ACTIONS:
            with self.subTest(name):
                response = self.post(self.supervisor, self.action_url(name))
                self.assertRedirects(response, self.detail_url(), fetch_redirect_response=False)
                self.assertTrue(message_of(response), name)
        response = self.post(
            self.supervisor, reverse("rotation_handovers:verify_contacts", args=[self.handover.pk, self.zgh.pk])
        )
        self.assertIn("Only a liaison of", message_of(response))
        handover = Handover.objects.get(pk=self.handover.pk)
        self.assertEqual((handover.state, handover.updated_at), (H.MEETING_HELD, before))

    def test_outsiders_get_404_and_the_anonymous_the_login_page(self):
        urls = [self.detail_url(), *(self.action_url(name) for name in ACTIONS)]
        urls.append(reverse("rotation_handovers:verify_contacts", args=[self.handover.pk, self.zgh.pk]))
        for url in urls:
            with self.subTest(url):
                client = self.login(self.outsider)
                response = client.get(url) if url == self.detail_url() else client.post(url, {"updated_at": "x"})
                self.assertEqual(response.status_code, 404)
                self.client.logout()
                response = self.client.get(url) if url == self.detail_url() else self.client.post(url, {})
                self.assertEqual(response.status_code, 302)
                self.assertIn(reverse("wagtailadmin_login"), response["Location"])
        self.assertEqual(Handover.objects.get(pk=self.handover.pk).state, H.MEETING_HELD)

    def test_a_unit_of_another_mechanism_is_404(self):
        url = reverse("rotation_handovers:verify_contacts", args=[self.handover.pk, self.ty_fl.pk])
        self.assertEqual(self.post(self.secretariat, url).status_code, 404)

    def test_a_stale_or_garbled_page_is_refused(self):
        old = self.handover.updated_at - datetime.timedelta(minutes=1)
        response = self.post(self.convener_liaison, self.action_url("sign_outgoing"), stamp=old)
        self.assertIn("Someone else changed this", message_of(response))
        response = self.login(self.convener_liaison).post(
            self.action_url("sign_outgoing"), {"updated_at": "yesterday"}, **EN
        )
        self.assertIn("Someone else changed this", message_of(response))
        url = reverse("rotation_handovers:verify_contacts", args=[self.handover.pk, self.tsw.pk])
        response = self.post(self.convener_liaison, url, stamp=old)
        self.assertIn("Someone else changed this", message_of(response))
        self.assertEqual(Handover.objects.get(pk=self.handover.pk).state, H.MEETING_HELD)

    def test_a_liaison_verifies_its_own_units_contacts(self):
        url = reverse("rotation_handovers:verify_contacts", args=[self.handover.pk, self.zgh.pk])
        response = self.post(self.other_liaison, url)
        self.assertEqual(message_of(response), f"The contacts of {self.zgh.name} are verified.")
        self.zgh.refresh_from_db()
        self.assertEqual((self.zgh.contacts_verified_on, self.zgh.contacts_verified_by), (TODAY, self.other_liaison))
        page = self.login(self.other_liaison).get(self.detail_url())
        own = [unit.pk for unit in page.context["units"] if unit.may_verify]
        self.assertEqual(own, [self.zgh.pk])
        page = self.login(self.secretariat).get(self.detail_url())
        self.assertEqual(len([unit for unit in page.context["units"] if unit.may_verify]), 3)

    def grow(self, size):
        for n in range(5):
            unit = MemberUnitFactory(mechanism=self.province, code=f"more{size}x{n}")
            HelpChannelFactory(unit=unit, last_verified_on=None)
            HelpChannelFactory(unit=unit)
        Handover.objects.create(mechanism=self.province, year=2026, outgoing_unit=self.zgh, incoming_unit=self.tsw)

    def test_queries_do_not_grow_with_units_and_channels(self):
        for size, (user, url) in enumerate(
            (
                (self.secretariat, self.detail_url()),
                (self.convener_liaison, self.detail_url()),
                (self.secretariat, reverse("rotation_handovers:index")),
            )
        ):
            client = self.login(user)
            client.get(url)  # warm the per-process caches
            with CaptureQueriesContext(connection) as few:
                client.get(url)
            with self.subTest(user=user.username, url=url):
                self.grow(size)
                with CaptureQueriesContext(connection) as more:
                    response = client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(len(more), len(few))
            Handover.objects.filter(year=2026).delete()


@time_machine.travel(NOW, tick=False)
class HandoverIndexTests(HandoverTestCase):
    def test_the_index_lists_the_users_handovers_newest_first(self):
        handover = self.make_handover()
        older = Handover.objects.create(
            mechanism=self.province, year=2026, outgoing_unit=self.zgh, incoming_unit=self.tsw
        )
        response = self.login(self.other_liaison).get(reverse("rotation_handovers:index"), **EN)
        self.assertEqual(response.context["handovers"], [handover, older])
        self.assertContains(response, f"{self.tsw.name} → {self.mz.name}")
        outsider = self.login(self.outsider).get(reverse("rotation_handovers:index"))
        self.assertEqual(outsider.context["handovers"], [])
        self.client.logout()
        self.assertEqual(self.client.get(reverse("rotation_handovers:index")).status_code, 302)

    def test_the_secretariat_creates_the_coming_handover(self):
        url = reverse("rotation_handovers:create")
        page = self.login(self.secretariat).get(reverse("rotation_handovers:index"))
        self.assertEqual(page.context["creatable"], [self.province])
        self.assertEqual(page.context["coming_year"], 2027)
        response = self.login(self.secretariat).post(url, {"mechanism_pk": self.province.pk}, **EN)
        handover = Handover.objects.get(mechanism=self.province, year=2027)
        self.assertRedirects(
            response, reverse("rotation_handovers:detail", args=[handover.pk]), fetch_redirect_response=False
        )
        self.assertEqual((handover.outgoing_unit, handover.incoming_unit), (self.tsw, self.mz))
        again = self.login(self.secretariat).post(url, {"mechanism_pk": self.province.pk}, **EN)
        self.assertEqual(message_of(again), "The 2027 handover already exists.")
        self.assertEqual(Handover.objects.count(), 1)

    def test_in_november_the_coming_handover_is_next_years(self):
        with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI), tick=False):
            page = self.login(self.secretariat).get(reverse("rotation_handovers:index"))
            self.assertEqual(page.context["coming_year"], 2027)
            self.login(self.secretariat).post(reverse("rotation_handovers:create"), {"mechanism_pk": self.province.pk})
        handover = Handover.objects.get(mechanism=self.province)
        self.assertEqual((handover.year, handover.outgoing_unit, handover.incoming_unit), (2027, self.tsw, self.mz))

    def test_create_refuses_others_and_bad_input(self):
        url = reverse("rotation_handovers:create")
        response = self.login(self.convener_liaison).post(url, {"mechanism_pk": self.province.pk}, **EN)
        self.assertEqual(message_of(response), "Only the secretariat creates the handover.")
        self.assertEqual(self.login(self.outsider).post(url, {"mechanism_pk": self.province.pk}).status_code, 404)
        response = self.login(self.secretariat).post(url, {"mechanism_pk": "abc"}, **EN)
        self.assertEqual(message_of(response), "Choose a mechanism.")
        self.province.units.update(left_on=datetime.date(2026, 6, 1))
        response = self.login(self.secretariat).post(url, {"mechanism_pk": self.province.pk}, **EN)
        self.assertEqual(response.status_code, 302)
        self.assertIn("has no active member units", message_of(response))
        self.assertFalse(Handover.objects.exists())
        self.client.logout()
        self.assertEqual(self.client.post(url, {"mechanism_pk": self.province.pk}).status_code, 302)
