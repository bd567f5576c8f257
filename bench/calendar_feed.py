"""A personal calendar feed of 1,000 events: server time per request, against a 100 ms target.

    .venv/bin/python bench/calendar_feed.py [--events 1000] [--requests 200]

Runs in-process under xianjie.settings.production (DEBUG off, the real middleware) on a fresh SQLite
file in a temporary directory, or on BENCH_DATABASE_URL (its tables are created by migrate; use an
empty database). Of the events, 40 % are meetings the liaison's unit is invited to (held, noticed
and cancelled, each with three agenda items, one of them a case) and 60 % the unit's active
assignments, half case referrals and half action items, all inside the feed's window. Each request
goes through Django's test client (URL resolution, middleware, view, serialisation; no network),
after warm-up requests; the script prints p50, p95, the mean and their ratios to the target.
The machine's other load shows in p95: run it on a quiet machine for the record.
"""

import argparse
import datetime
import tempfile
from pathlib import Path

from support.inprocess import configure
from support.table import result
from support.timing import figures, timed

TARGET_MS = 100.0


def build(events):
    """A province, a unit with one liaison, and `events` feed entries; returns the feed's token."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from mechanism.models import (
        Area,
        AreaLevel,
        Assignment,
        Case,
        ConvenerTerm,
        Mechanism,
        Membership,
        MemberUnit,
        Role,
        UnitKind,
    )
    from meetings.models import AgendaItem, AgendaItemKind, CalendarFeed, Meeting, MeetingState

    now = timezone.now()
    area = Area.objects.create(code="149900", name="基准省", level=AreaLevel.PROVINCE)
    mechanism = Mechanism.objects.create(area=area, name="基准省政府救助与慈善帮扶工作衔接机制")
    units = [
        MemberUnit.objects.create(
            mechanism=mechanism,
            code=code,
            name=f"基准{code}",
            short_name=f"基准{code}",
            kind=UnitKind.MASS_ORGANISATION,
            joined_on=datetime.date(2020, 1, 1),
        )
        for code in ("mz", "zgh", "tsw")
    ]
    ConvenerTerm.objects.create(
        mechanism=mechanism, unit=units[0], starts_at=now - datetime.timedelta(days=3000), ends_at=None
    )
    user = get_user_model().objects.create_user("bench_liaison", "bench@example.org", "x")
    Membership.objects.create(user=user, unit=units[1], role=Role.LIAISON)

    meetings_count = events * 2 // 5
    states = [MeetingState.HELD, MeetingState.NOTICED, MeetingState.CANCELLED]
    meetings = []
    for n in range(meetings_count):
        starts_at = now + datetime.timedelta(days=-300 + n * 900 // meetings_count, hours=n % 5)
        meetings.append(
            Meeting(
                mechanism=mechanism,
                year=2000 + n,  # numbered apart: the constraint is per year
                number=1,
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(hours=2),
                place="基准会议室",
                state=states[n % 3],
                sequence=n % 3,
            )
        )
    meetings = Meeting.objects.bulk_create(meetings)
    through = Meeting.invited_units.through
    through.objects.bulk_create(
        [through(meeting_id=m.pk, memberunit_id=unit.pk) for m in meetings for unit in units[:2]]
    )

    assignments_count = events - meetings_count
    cases = Case.objects.bulk_create(
        Case(
            mechanism=mechanism,
            reference=f"JZ-{n:05d}",
            source="hotline",
            reported_at=now,
            person_name="张三",
            area=area,
            narrative="基准个案",
        )
        for n in range(assignments_count // 2 + meetings_count)
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=m, order=k, title=f"议题{k}", kind=AgendaItemKind.TOPIC, case=cases[i] if k == 0 else None)
        for i, m in enumerate(meetings)
        for k in range(3)
    )
    Assignment.objects.bulk_create(
        Assignment(
            mechanism=mechanism,
            unit=units[1],
            case=cases[meetings_count + n // 2] if n % 2 else None,
            task=f"落实事项{n}：报送帮扶台账",
            assigned_at=now,
            due_on=(now + datetime.timedelta(days=-200 + n * 600 // assignments_count)).date(),
        )
        for n in range(assignments_count)
    )
    return CalendarFeed.objects.create(user=user).token


def measure(token, requests, warmup=10):
    from django.test import Client
    from django.urls import reverse

    client = Client()
    url = reverse("calendar:feed", args=[token])
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    body = response.content
    return timed(lambda: client.get(url), requests, warmup), body


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="xianjie-feed-bench-") as var_dir:
        configure(Path(var_dir))
        token = build(args.events)
        times, body = measure(token, args.requests)
        from django.db import connection

        vendor = connection.vendor
        connection.close()
    events = body.count(b"BEGIN:VEVENT")
    print(f"database {vendor}; feed of {events} events, {len(body) / 1024:.0f} KiB; {len(times)} requests")
    p50, p95 = figures("server time per request", times)
    print(f"target {TARGET_MS:.0f} ms: p50 / target {p50 / TARGET_MS:.2f}, p95 / target {p95 / TARGET_MS:.2f}")
    result(
        "calendar_feed",
        f"feed of {events} events",
        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms",
        p95,
        ratio=p95 / TARGET_MS,
        target=f"p95 < {TARGET_MS:.0f} ms",
        met=p95 < TARGET_MS,
    )


if __name__ == "__main__":
    main()
