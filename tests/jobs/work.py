"""For each django-q2 job, how to give it work: the moment it acts (Asia/Shanghai, frozen) and a setup that makes
the rows it acts on and returns the argument tuples of its calls (a scheduled job: one call without arguments).

The job tests discover the jobs (the Schedule table, and every after_commit()/async_task() call in the apps) and
fail for one that is missing here: a new job gets its line in WORK before it is merged.
"""

import ast
import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from mechanism.models import Assignment, AssignmentState, DocumentJob, DocumentJobState, Role
from mechanism.services import triage
from meetings.models import MeetingState
from meetings.services import (
    agree_to_minutes,
    approve_minutes,
    publish_minutes,
    send_minutes_for_review,
    start_minutes,
)
from tests.casework import make_case
from tests.factories import SHANGHAI, HelpChannelFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory, MeetingSeriesFactory, held_meeting

APPS = ("mechanism", "meetings", "rotation", "xianjie")
DAY = datetime.timedelta(days=1)


def at(year, month, day, hour=9):
    return datetime.datetime(year, month, day, hour, tzinfo=SHANGHAI)


MARCH_2 = at(2026, 3, 2, 10)  # a Monday of an ordinary working week, in the tsw convener term


def _assignments(tc, units=None):
    case = make_case(tc.province, by=tc.secretariat)
    triage.accept_case(case, by=tc.secretariat)
    units = units or [tc.zgh, tc.tsw]
    return triage.refer_case(case, units, by=tc.secretariat, today=MARCH_2.date())


def _noticed_meeting(tc):
    meeting = MeetingFactory(mechanism=tc.province, invited_units=[tc.mz, tc.zgh, tc.tsw])
    AgendaItemFactory(meeting=meeting, order=1, title="上季度落实情况")
    MeetingFactory._meta.model.objects.filter(pk=meeting.pk).update(state=MeetingState.NOTICED)
    return meeting


def ladder(tc):
    _assignments(tc)  # due 2026-03-16: overdue on the 17th, to the unit and the secretariat
    return [()]


def channel_reminders(tc):
    for unit in (tc.zgh, tc.tsw):
        HelpChannelFactory(unit=unit, last_verified_on=datetime.date(2026, 1, 5))  # stale from 4 July
    return [()]


def document_cleanup(tc):
    job = DocumentJob.objects.create(kind="referral", object_id=1, requested_by=tc.other_liaison)
    old = timezone.now() - 10 * DAY
    DocumentJob.objects.filter(pk=job.pk).update(state=DocumentJobState.DONE, requested_at=old, finished_at=old)
    return [()]


def series(tc):
    MeetingSeriesFactory(mechanism=tc.province)  # second Tuesday of April: drafted from 15 March
    return [()]


def rotation_daily(tc):
    return [()]  # the cast's tsw convenes 2026: on 15 December the handover, summary request and reminder


def pending_notices(tc):
    _noticed_meeting(tc)  # noticed, its task lost: the sweep sends
    send_minutes_for_review(_minutes(tc), MARCH_2.date() + 7 * DAY, by=tc.secretariat)  # its review mail task lost
    return [()]


def new_assignment(tc):
    return [(assignment.pk,) for assignment in _assignments(tc)]


def assignment_finished(tc):
    done, returned = _assignments(tc)
    Assignment.objects.filter(pk=done.pk).update(state=AssignmentState.COMPLETED)
    Assignment.objects.filter(pk=returned.pk).update(state=AssignmentState.RETURNED)
    return [(done.pk,), (returned.pk,)]


def notices(tc):
    return [(_noticed_meeting(tc).pk,)]


def _minutes(tc):
    tc.member("mz_liaison", tc.mz, Role.LIAISON)
    meeting = held_meeting(tc.province, tc.secretariat, [tc.mz, tc.zgh, tc.tsw])
    return start_minutes(meeting, by=tc.secretariat)


def minutes_review(tc):
    minutes = _minutes(tc)
    return [(send_minutes_for_review(minutes, MARCH_2.date() + 7 * DAY, by=tc.secretariat).pk,)]


def minutes_published(tc):
    minutes = _minutes(tc)
    send_minutes_for_review(minutes, MARCH_2.date() + 7 * DAY, by=tc.secretariat)
    for unit in (tc.mz, tc.zgh, tc.tsw):
        liaison = unit.memberships.filter(role=Role.LIAISON).first().user
        agree_to_minutes(minutes, unit, by=liaison)
    approve_minutes(minutes, by=tc.convener_liaison)
    publish_minutes(minutes, by=tc.secretariat)
    return [(minutes.pk,)]


def build_document(tc):
    [assignment] = _assignments(tc, [tc.zgh])
    return [(DocumentJob.objects.create(kind="referral", object_id=assignment.pk, requested_by=tc.other_liaison).pk,)]


# func -> (moment, setup, sends mail)
WORK = {
    "mechanism.tasks.daily_overdue_ladder": (at(2026, 3, 17), ladder, True),
    "mechanism.tasks.weekly_channel_reminders": (at(2026, 7, 6), channel_reminders, True),
    "mechanism.tasks.daily_document_cleanup": (MARCH_2, document_cleanup, False),
    "meetings.tasks.draft_series_meetings": (at(2026, 3, 20, 12), series, False),
    "meetings.tasks.deliver_pending_notices": (MARCH_2, pending_notices, True),
    "rotation.tasks.daily": (at(2026, 12, 15, 8), rotation_daily, True),
    "mechanism.tasks.notify_new_assignment": (MARCH_2, new_assignment, True),
    "mechanism.tasks.notify_assignment_finished": (MARCH_2, assignment_finished, True),
    "meetings.notices.sending.deliver_notices": (MARCH_2, notices, True),
    "meetings.tasks.mail_minutes_review": (MARCH_2, minutes_review, True),
    "meetings.tasks.mail_minutes_published": (MARCH_2, minutes_published, True),
    "mechanism.documents.jobs.build_document": (MARCH_2, build_document, False),
}


def _module_constants(tree):
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found[target.id] = node.value.value
    return found


def queued_jobs():
    """{func path: [file:line, ...]} of every after_commit(...)/async_task(...) call in the apps' code; a first
    argument that is neither a string nor a module constant is reported as "?file:line" so the test fails."""
    found = {}
    for app in APPS:
        for path in sorted((Path(settings.BASE_DIR) / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            constants = _module_constants(tree)
            for node in ast.walk(tree):
                if not (isinstance(node, ast.Call) and node.args):
                    continue
                name = getattr(node.func, "id", getattr(node.func, "attr", None))
                if name not in ("after_commit", "async_task"):
                    continue
                first = node.args[0]
                where = f"{path.relative_to(settings.BASE_DIR)}:{node.lineno}"
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    func = first.value
                elif isinstance(first, ast.Name) and first.id in constants:
                    func = constants[first.id]
                elif isinstance(first, ast.Name) and first.id == "task_path":  # after_commit's own async_task
                    continue
                else:
                    func = f"?{where}"
                found.setdefault(func, []).append(where)
    return found
