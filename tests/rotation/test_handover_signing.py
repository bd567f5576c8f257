"""Signing the handover: nobody signs before 1 January of its year (the term of a year starts when that January's
handover is signed), the open items are listed again at the outgoing signature, the checklist is kept as signed
and shown so afterwards, and a mechanism without a convener gets no handover."""

import datetime

import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from wagtail.models import ModelLogEntry

from mechanism.models import Assignment, ConvenerTerm, HelpChannel
from mechanism.services.errors import ActionRefused
from rotation.handovers import services
from rotation.handovers.checklist import LABELS, checklist
from rotation.models import Handover, HandoverState
from rotation.plans import past_terms
from tests.docx_checks import all_text
from tests.factories import SHANGHAI
from tests.rotation.test_handover_document import render_record
from tests.rotation.test_handover_lifecycle import NOW, TODAY, HandoverTestCase
from tests.rotation.test_handover_views import EN, message_of

H = HandoverState
NEW_YEARS_EVE = datetime.datetime(2026, 12, 31, 23, 59, 59, tzinfo=SHANGHAI)
JAN2 = datetime.datetime(2027, 1, 2, 10, 0, tzinfo=SHANGHAI)
TOO_EARLY = "The handover into the 2027 term is signed from 1 January 2027."


@time_machine.travel(NOW, tick=False)
class SigningOpensOnFirstJanuaryTests(HandoverTestCase):
    def test_the_outgoing_signature_on_31_december_is_refused_and_changes_nothing(self):
        handover = self.ready_handover()
        before = self.snapshot(handover)
        with translation.override("en"), self.assertRaisesMessage(ActionRefused, TOO_EARLY):
            services.sign_outgoing(handover, by=self.convener_liaison, now=NEW_YEARS_EVE)
        self.assertEqual(self.snapshot(handover), before)
        self.assertEqual(Handover.objects.get(pk=handover.pk).signed_checklist, [])
        self.assertFalse(ModelLogEntry.objects.filter(action="xianjie.handover.sign_outgoing").exists())

    def test_the_incoming_signature_before_its_year_is_refused(self):
        handover = self.signed_outgoing()
        Handover.objects.filter(pk=handover.pk).update(year=2028)  # a handover signed early by the outgoing side
        handover.refresh_from_db()
        before = self.snapshot(handover)
        with translation.override("en"), self.assertRaisesMessage(ActionRefused, "signed from 1 January 2028"):
            services.sign_incoming(handover, by=self.admin, now=datetime.datetime(2027, 12, 31, 12, tzinfo=SHANGHAI))
        self.assertEqual(self.snapshot(handover), before)
        self.assertFalse(ConvenerTerm.objects.filter(unit=self.mz).exists())

    def test_on_2_january_both_sign_and_the_term_counts_as_the_handovers_year(self):
        handover = self.ready_handover()
        services.sign_outgoing(handover, by=self.convener_liaison, now=JAN2)
        services.sign_incoming(handover, by=self.admin, now=JAN2 + datetime.timedelta(hours=1))
        self.assertEqual(handover.state, H.COMPLETED)
        # One definition of the year of a term: rotation.plans and handover_year agree with the handover's year.
        self.assertEqual(past_terms(self.province)[-1], (2027, self.mz.code))
        self.assertEqual(services.handover_year(handover.incoming_signed_at), handover.year)

    def test_the_detail_page_disables_the_button_and_says_why_before_1_january(self):
        handover = self.ready_handover()
        url = reverse("rotation_handovers:detail", args=[handover.pk])
        with time_machine.travel(NEW_YEARS_EVE, tick=False):
            response = self.login(self.convener_liaison).get(url, **EN)
            self.assertTrue(response.context["can"]["sign_outgoing"])
            self.assertEqual(response.context["outgoing_blocked"], [TOO_EARLY])
            self.assertContains(response, TOO_EARLY)
            self.assertRegex(
                response.content.decode(), r'data-action="sign_outgoing">\s*.*\s*.*\s*<button[^>]*disabled'
            )
            posted = self.login(self.convener_liaison).post(
                reverse("rotation_handovers:sign_outgoing", args=[handover.pk]),
                {"updated_at": handover.updated_at.isoformat()},
                **EN,
            )
            self.assertEqual(message_of(posted), TOO_EARLY)
        self.assertEqual(Handover.objects.get(pk=handover.pk).state, H.MEETING_HELD)
        response = self.login(self.convener_liaison).get(url, **EN)  # 14 January: open
        self.assertEqual(response.context["outgoing_blocked"], [])

    def test_the_incoming_button_is_disabled_before_its_year(self):
        handover = self.signed_outgoing()
        Handover.objects.filter(pk=handover.pk).update(year=2028)
        mz_liaison = self.member("mz_liaison", self.mz, "liaison")
        response = self.login(mz_liaison).get(reverse("rotation_handovers:detail", args=[handover.pk]), **EN)
        self.assertTrue(response.context["can"]["sign_incoming"])
        self.assertContains(response, "The handover into the 2028 term is signed from 1 January 2028.")
        self.assertRegex(response.content.decode(), r'data-action="sign_incoming">\s*.*\s*.*\s*<button[^>]*disabled')


@time_machine.travel(NOW, tick=False)
class SignedRecordTests(HandoverTestCase):
    def test_the_open_items_are_listed_again_at_the_outgoing_signature(self):
        handover = self.ready_handover()
        self.assertEqual(handover.open_items, [])
        Assignment.objects.create(
            mechanism=self.province, unit=self.zgh, case=None, task="走访困难家庭", assigned_at=NOW,
            due_on=TODAY + datetime.timedelta(days=10),
        )  # fmt: skip
        signed_at = NOW + datetime.timedelta(minutes=5)
        services.sign_outgoing(handover, by=self.convener_liaison, now=signed_at)
        handover.refresh_from_db()
        self.assertEqual([(row["kind"], row["title"]) for row in handover.open_items], [("action", "走访困难家庭")])
        self.assertEqual(handover.open_items_listed_at, signed_at)
        entry = ModelLogEntry.objects.get(action="xianjie.handover.sign_outgoing", object_id=str(handover.pk))
        self.assertEqual((entry.data["cases"], entry.data["actions"]), (0, 1))
        open_items = {row["key"]: row for row in handover.signed_checklist}["open_items"]
        self.assertIn("1", open_items["detail"])

    def test_the_checklist_is_kept_as_signed_in_chinese(self):
        handover = self.signed_outgoing()
        handover.refresh_from_db()
        with translation.override(settings.LANGUAGE_CODE):
            labels = [str(LABELS[key]) for key in ("summary", "open_items", "channels", "contacts", "meeting")]
        self.assertEqual([row["label"] for row in handover.signed_checklist], labels)
        self.assertEqual([row["done"] for row in handover.signed_checklist], [True] * 5)
        self.assertEqual(set(handover.signed_checklist[0]), {"key", "label", "done", "detail"})

    def test_the_page_and_the_document_show_the_checklist_as_signed_after_the_data_change(self):
        handover = self.signed_outgoing()
        HelpChannel.objects.filter(unit=self.zgh).update(last_verified_on=None)  # a channel goes stale
        self.assertFalse({item.key: item.done for item in checklist(handover, NOW)}["channels"])
        response = self.login(self.supervisor).get(reverse("rotation_handovers:detail", args=[handover.pk]))
        self.assertEqual([item.done for item in response.context["items"]], [True] * 5)
        self.assertContains(response, handover.signed_checklist[2]["detail"])
        text = all_text(render_record(handover))
        self.assertEqual((text.count("✓"), text.count("✗")), (5, 0))
        self.assertIn(handover.signed_checklist[2]["detail"], text)


@time_machine.travel(NOW, tick=False)
class NoConvenerTests(HandoverTestCase):
    def end_the_term(self):
        ConvenerTerm.objects.filter(pk=self.tsw_term.pk).update(ends_at=NOW - datetime.timedelta(days=1))

    def test_create_handover_is_refused_without_a_convener_now(self):
        self.end_the_term()
        with (
            translation.override("en"),
            self.assertRaisesMessage(
                ActionRefused, f"{self.province.name} has no convener now: record the convener term first."
            ),
        ):
            services.create_handover(self.province, 2027, now=NOW)
        self.assertFalse(Handover.objects.exists())

    def test_the_create_screen_says_so_and_creates_nothing(self):
        self.end_the_term()
        response = self.login(self.secretariat).post(
            reverse("rotation_handovers:create"), {"mechanism_pk": self.province.pk}, **EN
        )
        self.assertRedirects(response, reverse("rotation_handovers:index"), fetch_redirect_response=False)
        self.assertEqual(
            message_of(response), f"{self.province.name} has no convener now: record the convener term first."
        )
        self.assertFalse(Handover.objects.exists())
