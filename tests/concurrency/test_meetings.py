"""Meetings and their minutes: two sessions act on the same one; one act is done, the other is told it changed."""

import datetime

import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from mechanism.models import Role
from meetings.models import ItemMinutes, Meeting, MeetingKind, MeetingState, Minutes, MinutesState
from meetings.services import (
    add_item,
    agree_to_minutes,
    create_meeting,
    revise_minutes,
    send_minutes_for_review,
    send_notice,
    start_minutes,
)
from tests.factories import SHANGHAI
from tests.meetings.factories import held_meeting

from .base import TwoSessionsCase, outcome, page_stamp

MINUTES_NOW = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)  # a Monday; tsw convenes


def meeting_url(meeting, name="meeting"):
    return reverse(f"meetings_admin:{name}", args=[meeting.pk])


class MeetingActs(TwoSessionsCase):
    """The secretariat prepares a meeting in two sessions (two colleagues, or two tabs)."""

    def draft(self):
        starts = (timezone.localtime(timezone.now(), SHANGHAI) + datetime.timedelta(days=14)).replace(
            hour=9, minute=30, second=0, microsecond=0
        )
        meeting = create_meeting(
            self.province, kind=MeetingKind.REGULAR, starts_at=starts, ends_at=starts + datetime.timedelta(hours=2),
            place="省民政厅三楼会议室", by=self.secretariat,
        )  # fmt: skip
        add_item(meeting, "议题一", "topic", 30, by=self.secretariat)
        meeting.refresh_from_db()
        return meeting

    def two_pages(self, meeting, *acts):
        posts = []
        for user, (name, data) in zip((self.secretariat, self.secretariat2), acts, strict=True):
            client = self.session(user)
            url = meeting_url(meeting, name)
            stamp = page_stamp(client.get(meeting_url(meeting)), url)
            posts.append(lambda client=client, url=url, stamp=stamp, data=data: client.post(url, {**stamp, **data}))
        return posts

    def two_edits(self):
        meeting = self.draft()
        day = meeting.starts_at.astimezone(SHANGHAI).date().isoformat()
        first = ("edit", {"date": day, "start_time": "14:00", "end_time": "16:00", "place": "省总工会二楼"})
        second = ("edit", {"date": day, "start_time": "08:30", "end_time": "10:00", "place": "团省委会议室"})
        return meeting, self.two_pages(meeting, first, second)

    def check_edit(self, meeting, winner):
        start, end, place = [("14:00", "16:00", "省总工会二楼"), ("08:30", "10:00", "团省委会议室")][winner]
        meeting.refresh_from_db()
        shown = (
            meeting.starts_at.astimezone(SHANGHAI).strftime("%H:%M"),
            meeting.ends_at.astimezone(SHANGHAI).strftime("%H:%M"),
            meeting.place,
        )
        self.assertEqual(shown, (start, end, place))  # the winner's three fields, none of the other's
        self.assertEqual(meeting.state, MeetingState.DRAFT)

    def test_a_second_change_of_time_and_place_from_the_old_page_is_refused(self):
        meeting, (first, second) = self.two_edits()
        self.check_edit(meeting, self.sequential(first, second))
        self.counted("meeting: edit time and place")

    def test_two_changes_of_time_and_place_at_once_one_is_done(self):
        meeting, posts = self.two_edits()
        self.check_edit(meeting, self.race(*posts))
        self.counted("meeting: edit time and place")

    def test_a_notice_from_the_page_before_a_change_of_time_is_refused(self):
        """The notice would announce a time its sender never saw."""
        meeting, (edit, _other) = self.two_edits()
        _first, notice = self.two_pages(meeting, ("edit", {}), ("notice", {}))
        self.sequential(edit, notice)
        self.check_edit(meeting, 0)
        self.assertFalse(mail.outbox)
        _first, notice = self.two_pages(meeting, ("edit", {}), ("notice", {}))
        self.assertEqual(outcome(notice()), "done")  # from the page showing the new time, the notice goes
        self.assertEqual(Meeting.objects.get(pk=meeting.pk).state, MeetingState.NOTICED)
        self.counted("meeting: edit / notice")

    def hold_or_cancel(self):
        meeting = self.draft()
        send_notice(meeting, by=self.secretariat)
        return meeting, self.two_pages(meeting, ("hold", {}), ("cancel", {"reason": "主要领导临时出差"}))

    def check_hold_or_cancel(self, meeting, winner):
        meeting.refresh_from_db()
        if winner == 0:
            self.assertEqual((meeting.state, meeting.cancel_reason), (MeetingState.HELD, ""))
        else:
            self.assertEqual((meeting.state, meeting.cancel_reason), (MeetingState.CANCELLED, "主要领导临时出差"))

    def test_hold_then_cancel_from_the_old_page_is_refused(self):
        meeting, (hold, cancel) = self.hold_or_cancel()
        self.check_hold_or_cancel(meeting, self.sequential(hold, cancel))
        self.counted("meeting: hold / cancel")

    def test_hold_and_cancel_at_once_one_is_done(self):
        meeting, posts = self.hold_or_cancel()
        self.check_hold_or_cancel(meeting, self.race(*posts))
        self.counted("meeting: hold / cancel")

    def test_a_page_without_the_stamp_is_refused_as_stale(self):
        meeting = self.draft()
        client = self.session(self.secretariat)
        day = meeting.starts_at.astimezone(SHANGHAI).date().isoformat()
        data = {"state": "draft", "date": day, "start_time": "14:00", "end_time": "16:00", "place": "别处"}
        response = client.post(meeting_url(meeting, "edit"), data)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Meeting.objects.get(pk=meeting.pk).place, "省民政厅三楼会议室")


@time_machine.travel(MINUTES_NOW)  # ticking: each save gives a later `updated_at`, as in real life
class MinutesActs(TwoSessionsCase):
    def setUp(self):
        super().setUp()
        type(self).mz_liaison = self.member("mz_liaison", self.mz, Role.LIAISON)

    def drafted(self):
        meeting = held_meeting(self.province, self.secretariat, [self.mz, self.zgh, self.tsw])
        return start_minutes(meeting, by=self.secretariat)

    def revised(self):
        minutes = self.drafted()
        send_minutes_for_review(minutes, MINUTES_NOW.date() + datetime.timedelta(days=7), by=self.secretariat)
        for unit, liaison in ((self.mz, self.mz_liaison), (self.zgh, self.other_liaison),
                              (self.tsw, self.convener_liaison)):  # fmt: skip
            agree_to_minutes(minutes, unit, by=liaison)
        revise_minutes(minutes, by=self.secretariat, reason="补充议题二")
        return minutes

    def two_pages(self, minutes, *acts):
        """acts: (user, action name, data, hidden field naming the item or None)."""
        posts = []
        for user, name, data in acts:
            client = self.session(user)
            url = meeting_url(minutes.meeting, f"minutes_{name}")
            page = client.get(meeting_url(minutes.meeting, "minutes"))
            stamp = page_stamp(page, url, **({"item": data["item"]} if "item" in data else {}))
            posts.append(lambda client=client, url=url, stamp=stamp, data=data: client.post(url, {**stamp, **data}))
        return posts

    def two_openings(self):
        minutes = self.drafted()
        first = (self.secretariat, "opening", {"opening": "会议由团省委主持。"})
        second = (self.secretariat2, "opening", {"opening": "会议由省民政厅主持，应到三家。"})
        return minutes, self.two_pages(minutes, first, second)

    def check_opening(self, minutes, winner):
        minutes.refresh_from_db()
        self.assertEqual(minutes.opening, ["会议由团省委主持。", "会议由省民政厅主持，应到三家。"][winner])

    def test_a_second_opening_from_the_old_page_is_refused(self):
        minutes, (first, second) = self.two_openings()
        self.check_opening(minutes, self.sequential(first, second))
        self.counted("minutes: edit the text")

    def test_two_openings_at_once_one_is_saved(self):
        minutes, posts = self.two_openings()
        self.check_opening(minutes, self.race(*posts))
        self.counted("minutes: edit the text")

    def test_an_item_summary_from_the_page_before_another_summary_is_refused(self):
        minutes = self.drafted()
        item = ItemMinutes.objects.filter(minutes=minutes).order_by("agenda_item__order").first()
        first, second = self.two_pages(
            minutes,
            (self.secretariat, "summary", {"item": item.pk, "summary": "同意走访方案。"}),
            (self.secretariat2, "summary", {"item": item.pk, "summary": "暂缓，下次再议。"}),
        )
        self.sequential(first, second)
        self.assertEqual(ItemMinutes.objects.get(pk=item.pk).summary, "同意走访方案。")
        self.counted("minutes: edit the text")

    def edit_or_approve(self):
        minutes = self.revised()
        edit = (self.secretariat, "opening", {"opening": "第二稿：补充了议题二的讨论。"})
        approve = (self.convener_liaison, "approve", {})
        return minutes, self.two_pages(minutes, edit, approve)

    def check_edit_or_approve(self, minutes, winner):
        minutes.refresh_from_db()
        if winner == 0:  # the text changed: the convener approves only the text they have seen
            self.assertEqual((minutes.state, minutes.opening), (MinutesState.REVISED, "第二稿：补充了议题二的讨论。"))
        else:
            self.assertEqual((minutes.state, minutes.opening), (MinutesState.APPROVED, ""))

    def test_approving_a_text_changed_since_the_page_is_refused(self):
        minutes, (edit, approve) = self.edit_or_approve()
        self.check_edit_or_approve(minutes, self.sequential(edit, approve))
        self.counted("minutes: edit / approve")

    def test_an_edit_and_the_approval_at_once_one_is_done(self):
        minutes, posts = self.edit_or_approve()
        self.check_edit_or_approve(minutes, self.race(*posts))
        self.assertEqual(Minutes.objects.get(pk=minutes.pk).revision, 2)
        self.counted("minutes: edit / approve")
