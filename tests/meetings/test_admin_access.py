"""Who reaches the meetings back office: another mechanism's user gets 404 on every meeting URL, the anonymous
visitor the login page, the menu only mechanism members, and the home panels."""

import datetime

import time_machine
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation
from wagtail.admin.menu import admin_menu

from meetings.models import Answer, AnswerKind, Attendance, MeetingState, TopicProposal
from meetings.services import propose_topic
from tests.factories import SHANGHAI, UserFactory

from .test_admin_meeting import NOW, MeetingAdminCase

ACTIONS = ["notice", "reschedule", "edit", "cancel", "hold", "build", "add_item", "attendance"]
ITEM_ACTIONS = ["remove", "move"]


@time_machine.travel(NOW, tick=False)
class OutsiderTests(MeetingAdminCase):
    def setUp(self):
        self.meeting = self.noticed()
        self.item = self.meeting.agenda_items.get()

    def meeting_urls(self):
        meeting = self.meeting
        yield "get", reverse("meetings_admin:meeting", args=[meeting.pk])
        yield "get", reverse("meeting_invitation", args=[meeting.pk])
        for name in ACTIONS:
            yield "post", reverse(f"meetings_admin:{name}", args=[meeting.pk])
        for name in ITEM_ACTIONS:
            yield "post", reverse(f"meetings_admin:{name}", args=[meeting.pk, self.item.pk])

    def test_outsider_gets_404_on_every_meeting_url(self):
        self.login(self.outsider)
        data = {"state": "noticed", "reason": "x", "unit": self.mz.pk, "person": "x", "direction": "down"}
        for method, url in self.meeting_urls():
            with self.subTest(url):
                response = getattr(self.client, method)(url, data if method == "post" else None)
                self.assertEqual(response.status_code, 404)
        self.meeting.refresh_from_db()
        self.assertEqual(self.meeting.state, MeetingState.NOTICED)
        self.assertFalse(Attendance.objects.exists())

    def test_outsider_lists_show_no_shanxi_meeting(self):
        self.login(self.outsider)
        response = self.client.get(reverse("meetings_admin:list"))
        self.assertEqual(response.context["upcoming"], [])
        response = self.client.get(reverse("meetings_admin:calendar"), {"month": "2026-03"})
        self.assertNotContains(response, reverse("meetings_admin:meeting", args=[self.meeting.pk]))

    def test_anonymous_is_sent_to_login(self):
        urls = [
            reverse("meetings_admin:calendar"),
            reverse("meetings_admin:list"),
            reverse("meetings_admin:new"),
            reverse("meetings_admin:topics"),
        ] + [url for _method, url in self.meeting_urls()]
        for url in urls:
            with self.subTest(url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 302)
                self.assertTrue(response["Location"].startswith(reverse("wagtailadmin_login")))

    def test_other_liaison_and_supervisor_see_the_meeting_and_download_the_invitation(self):
        for user in (self.other_liaison, self.supervisor):
            with self.subTest(user.username):
                self.login(user)
                self.assertEqual(
                    self.client.get(reverse("meetings_admin:meeting", args=[self.meeting.pk])).status_code, 200
                )
                response = self.client.get(reverse("meeting_invitation", args=[self.meeting.pk]))
                self.assertEqual(response.status_code, 200)
                self.assertIn(self.meeting.ical_uid, response.content.decode())


class MenuTests(MeetingAdminCase):
    def menu_names(self, user):
        self.login(user)
        request = self.client.get(reverse("wagtailadmin_home")).wsgi_request
        items = admin_menu.menu_items_for_request(request)
        meetings = next((i for i in items if i.name == "meetings"), None)
        if meetings is None:
            return None
        return {i.name for i in meetings.menu.menu_items_for_request(request)}

    def test_members_see_the_menu_new_meeting_only_conveners(self):
        self.assertIn("meetings-new", self.menu_names(self.secretariat))
        self.assertIn("meetings-new", self.menu_names(self.convener_liaison))
        other = self.menu_names(self.other_liaison)
        self.assertIn("meetings-calendar", other)
        self.assertNotIn("meetings-new", other)

    def test_non_members_do_not_see_the_menu(self):
        stranger = UserFactory(username="stranger", is_staff=True)
        stranger.user_permissions.add(Permission.objects.get(codename="access_admin"))
        self.assertIsNone(self.menu_names(stranger))


@time_machine.travel(NOW, tick=False)
class TopicTests(MeetingAdminCase):
    def test_liaison_proposes_for_its_unit(self):
        self.login(self.other_liaison)
        response = self.client.get(reverse("meetings_admin:topics"))
        self.assertEqual(list(response.context["form"].fields["unit"].queryset), [self.zgh])
        self.client.post(reverse("meetings_admin:topics"), {"unit": self.zgh.pk, "title": "职工帮扶", "minutes": 15})
        proposal = TopicProposal.objects.get()
        self.assertEqual((proposal.unit, proposal.proposed_by), (self.zgh, self.other_liaison))

    def test_liaison_cannot_propose_for_another_unit(self):
        self.login(self.other_liaison)
        response = self.client.post(reverse("meetings_admin:topics"), {"unit": self.tsw.pk, "title": "x", "minutes": 5})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(TopicProposal.objects.exists())

    def test_secretariat_sees_every_proposal_liaison_only_its_own(self):
        propose_topic(self.province, self.zgh, "职工帮扶", 15, by=self.other_liaison)
        propose_topic(self.province, self.tsw, "青少年", 10, by=self.convener_liaison)
        self.login(self.secretariat)
        response = self.client.get(reverse("meetings_admin:topics"))
        self.assertEqual({p.title for p in response.context["proposals"]}, {"职工帮扶", "青少年"})
        self.login(self.other_liaison)
        response = self.client.get(reverse("meetings_admin:topics"))
        self.assertEqual({p.title for p in response.context["proposals"]}, {"职工帮扶"})
        self.login(self.outsider)
        response = self.client.get(reverse("meetings_admin:topics"))
        self.assertEqual(list(response.context["proposals"]), [])


@time_machine.travel(NOW, tick=False)
class HomePanelTests(MeetingAdminCase):
    def panel_names(self, user):
        self.login(user)
        with translation.override("en"):
            response = self.client.get(reverse("wagtailadmin_home"), HTTP_ACCEPT_LANGUAGE="en")
        return response, {p.name for p in response.context["panels"]}

    def test_liaison_sees_answer_needed_until_its_unit_answers(self):
        meeting = self.noticed()
        response, names = self.panel_names(self.other_liaison)
        self.assertIn("meetings_answer_needed", names)
        self.assertIn("meetings_ahead", names)
        self.assertContains(response, "/meetings/answer/")
        Answer.objects.create(meeting=meeting, unit=self.zgh, kind=AnswerKind.ATTEND, answered_at=NOW)
        _response, names = self.panel_names(self.other_liaison)
        self.assertNotIn("meetings_answer_needed", names)

    def test_secretariat_sees_meetings_ahead_not_answer_needed(self):
        meeting = self.noticed()
        response, names = self.panel_names(self.secretariat)
        self.assertEqual(names & {"meetings_ahead", "meetings_answer_needed"}, {"meetings_ahead"})
        self.assertContains(response, reverse("meetings_admin:meeting", args=[meeting.pk]))

    def test_drafts_and_past_meetings_are_not_ahead(self):
        self.make()
        self.noticed(starts_at=datetime.datetime(2026, 2, 24, 9, 30, tzinfo=SHANGHAI))
        _response, names = self.panel_names(self.other_liaison)
        self.assertFalse(names & {"meetings_ahead", "meetings_answer_needed"})

    def test_outsider_has_no_meeting_panels(self):
        self.noticed()
        _response, names = self.panel_names(self.outsider)
        self.assertFalse(names & {"meetings_ahead", "meetings_answer_needed"})
