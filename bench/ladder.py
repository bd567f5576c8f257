"""The overdue ladder (mechanism.ladder.run_ladder) over a generated data set: wall time, memory, notices sent.

    DATABASE_URL=… .venv/bin/python bench/ladder.py [--no-tracemalloc]

Reads a database filled by `manage.py generate_scale_data` under xianjie.settings.production, mails to a
backend that counts the messages and keeps none (bench/support/mailcount.py; nothing leaves the machine).
Each pass runs inside one transaction that is rolled back at its end, so the data set stays as generated and
the bench can run again: the claims the ladder commits per notice become savepoints of that transaction.
The first pass measures wall time and the growth of the process's peak resident memory (ru_maxrss); the second,
under tracemalloc, the peak of the Python heap (tracemalloc slows Python down, so it is not timed). The ladder
must stream: the target is a heap peak under 64 MiB whatever the number of assignments. The floor is one raw
SQL count of the assignments the ladder must act on (a stage due today and not yet sent).
"""

import argparse
import datetime
import resource
import time
import tracemalloc

from support.scale import configure, generated_counts
from support.table import result

TARGET_PEAK_MIB = 64.0
ACTIVE = "('assigned', 'acknowledged')"
# A stage is due: overdue, due today, due within two working days, or an acknowledgement two working days late.
ACTIONABLE = f"""
SELECT COUNT(*) FROM mechanism_assignment
WHERE state IN {ACTIVE} AND (
    (due_on < %(today)s AND overdue_at IS NULL)
    OR (due_on = %(today)s AND due_today_at IS NULL)
    OR (due_on > %(today)s AND due_on <= %(soon)s AND due_soon_at IS NULL)
    OR (state = 'assigned' AND ack_reminder_at IS NULL AND assigned_at < %(acknowledge_by)s)
)
"""


def floor_params(today):
    """The ladder's dates as SQL parameters: two working days ahead, and the last assignment time that is late."""
    from django.db import connection
    from django.utils import timezone

    from mechanism import workdays

    soon = workdays.add_working_days(today, 2).day
    late = today
    while workdays.working_days_between(late, today) < 2:
        late -= datetime.timedelta(days=1)
    local_midnight = timezone.make_aware(datetime.datetime.combine(late + datetime.timedelta(days=1), datetime.time()))
    ops = connection.ops
    return {
        "today": ops.adapt_datefield_value(today),
        "soon": ops.adapt_datefield_value(soon),
        "acknowledge_by": ops.adapt_datetimefield_value(local_midnight),
    }


def floor(params):
    """(rows the ladder must act on, ms to count them)."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(ACTIONABLE, params)
        (count,) = cursor.fetchone()
    return count, (time.perf_counter() - started) * 1000


def rolled_back_pass(today, trace):
    """Run the ladder once inside a transaction that is rolled back; (sent, mails, seconds, rss MiB, heap MiB)."""
    from django.db import transaction
    from support.mailcount import CountingBackend

    from mechanism.ladder import run_ladder

    CountingBackend.sent = 0
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    with transaction.atomic():
        sent = run_ladder(today)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    heap = tracemalloc.get_traced_memory()[1] / 2**20 if trace else None
    tracemalloc.stop()
    rss = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    return sent, CountingBackend.sent, seconds, rss, heap


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-tracemalloc", action="store_true", help="skip the second pass (the heap peak)")
    args = parser.parse_args()
    configure()
    from django.conf import settings
    from django.db import connection

    settings.EMAIL_BACKEND = "support.mailcount.CountingBackend"  # counts and keeps nothing (see its docstring)
    from django.utils import timezone

    _mechanisms, _units, _cases, assignments = generated_counts()
    today = timezone.localdate()
    actionable, floor_ms = floor(floor_params(today))
    sent, mails, seconds, rss, _heap = rolled_back_pass(today, trace=False)
    print(
        f"database {connection.vendor}: {assignments:,} assignments, {actionable:,} with a stage due today "
        f"(raw SQL count {floor_ms:.1f} ms); the ladder sent {sent:,} notices ({mails:,} e-mails) in "
        f"{seconds:.1f} s; peak RSS grew by {rss:.1f} MiB; rolled back",
        flush=True,
    )
    heap = None
    if not args.no_tracemalloc:
        heap = rolled_back_pass(today, trace=True)[4]
        print(f"second pass under tracemalloc: Python heap peak {heap:.1f} MiB (target < {TARGET_PEAK_MIB:.0f})")
    vendor = connection.vendor
    result(
        "ladder",
        f"overdue ladder, {assignments:,} assignments ({vendor})",
        f"{seconds:.1f} s, {sent:,} notices; RSS +{rss:.0f} MiB" + ("" if heap is None else f", heap {heap:.1f} MiB"),
        seconds,
        floor=f"raw SQL count of {actionable:,} actionable rows: {floor_ms:.1f} ms",
        ratio=seconds * 1000 / floor_ms if floor_ms else None,
        target=f"streams: heap peak < {TARGET_PEAK_MIB:.0f} MiB",
        met=None if heap is None else heap < TARGET_PEAK_MIB,
    )


if __name__ == "__main__":
    main()
