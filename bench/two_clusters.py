"""Scaling the background jobs past one machine: one django-q2 cluster, then several, drain one Redis queue of
real jobs against one PostgreSQL database; jobs per second for each, and proof that no job ran twice or was lost.

    .venv/bin/python bench/two_clusters.py [--jobs 2000] [--clusters 2] [--workers 2] [--rounds 2]

Each cluster is a `manage.py qcluster` process group of its own under xianjie.settings.production, as on a
machine of its own: REDIS_URL=redis://127.0.0.1:6379/5 (cache and broker; BENCH_REDIS_URL overrides; the db is
emptied, and a lock in it refuses a second bench on the same db), DATABASE_URL=BENCH_DATABASE_URL if it names a
PostgreSQL database (migrated, used as it is), else postgres://postgres@127.0.0.1:5432/hE (dropped, created,
migrated). The jobs are `notify_new_assignment` for prepared assignments (one liaison per unit): each claims the
assignment's notified_at and sends one e-mail (file backend) in the same transaction, as in production, opening
its own database connection (CONN_MAX_AGE 0).
Runs alternate, 1 cluster then N, for --rounds rounds (the host's other load drifts; the figures are the
medians); every run uses the same assignments, their claims cleared in between; the clusters are started and
ready before the jobs are queued, and the clock runs from the first job queued to the last claim committed.

Counted afterwards, per job: the "Processed" lines in the clusters' logs (each execution logs one), the claims,
and the e-mails by the assignment they link to and by Message-ID. Duplicates: a job executed more than once or
an assignment mailed more than once; lost: a job never executed, an assignment unclaimed or unmailed.
On one host the clusters compete for the same cores (and with whatever else runs there): on separate machines
each brings its own, and the limit moves to PostgreSQL and the mail relay.
"""

import argparse
import datetime
import os
import re
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from support.clusters import (
    DEFAULT_DATABASE_URL,
    DEFAULT_REDIS_URL,
    Clusters,
    exclusive,
    flush_redis,
    messages,
    production_environment,
    recreate_database,
    root_on_path,
)
from support.table import result

BENCH = "two_clusters"
FUNC = "mechanism.tasks.notify_new_assignment"
UNITS = 40
LINK = re.compile(rb"/admin/casework/assignment/(\d+)/")


def build(jobs):
    """A province of UNITS units with one liaison each, and `jobs` cases each referred to one unit."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from mechanism.models import Area, AreaLevel, Assignment, Case, Mechanism, Membership, MemberUnit, Role, UnitKind

    code = next(f"{n}0000" for n in range(90, 10, -1) if not Area.objects.filter(code=f"{n}0000").exists())
    area = Area.objects.create(code=code, name="基准省", level=AreaLevel.PROVINCE)
    mechanism = Mechanism.objects.create(area=area, name="基准省政府救助与慈善帮扶工作衔接机制")
    units = MemberUnit.objects.bulk_create(
        MemberUnit(mechanism=mechanism, code=f"u{n}", name=f"基准省第{n}成员单位", short_name=f"第{n}单位",
                   kind=UnitKind.MASS_ORGANISATION, joined_on=datetime.date(2020, 1, 1))
        for n in range(UNITS)
    )  # fmt: skip
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"bench-2c-{code}-{n}", email=f"liaison{n}@example.org") for n in range(UNITS)
    )
    Membership.objects.bulk_create(
        Membership(user=user, unit=unit, role=Role.LIAISON) for user, unit in zip(users, units, strict=True)
    )
    now = timezone.now()
    cases = Case.objects.bulk_create(
        Case(mechanism=mechanism, reference=f"B{now.year}-{n:06d}", source="hotline", reported_at=now,
             person_name="基准", area=area)
        for n in range(jobs)
    )  # fmt: skip
    assignments = Assignment.objects.bulk_create(
        Assignment(mechanism=mechanism, unit=units[n % UNITS], case=case, task="核实并落实帮扶", assigned_at=now,
                   due_on=now.date() + datetime.timedelta(days=30))
        for n, case in enumerate(cases)
    )  # fmt: skip
    return Assignment.objects.filter(pk__in=[a.pk for a in assignments])


def postpone_schedules():
    """Keep the project's schedules (ladder, mail sweep…) out of the timed runs; returns their next runs."""
    from django.utils import timezone
    from django_q.models import Schedule

    saved = dict(Schedule.objects.values_list("pk", "next_run"))
    Schedule.objects.update(next_run=timezone.now() + datetime.timedelta(days=1))
    return saved


def restore_schedules(saved):
    """Put back the next runs postpone_schedules() saved."""
    from django_q.models import Schedule

    for pk, next_run in saved.items():
        Schedule.objects.filter(pk=pk).update(next_run=next_run)


def wait_until(condition, timeout, what):
    """Poll `condition` every 0.25 s (the bench shares the cores it measures); a RuntimeError after `timeout` s."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.25)


def run(count, assignments, env, var_dir, timeout):
    """Drain one queue of a job per assignment with `count` clusters: a dict of the figures and the checks."""
    from django_q.brokers import get_broker
    from django_q.tasks import async_task

    assignments.update(notified_at=None)
    mail = Path(var_dir) / "mail"
    shutil.rmtree(mail, ignore_errors=True)
    mail.mkdir()
    flush_redis(env["REDIS_URL"])
    pks = list(assignments.values_list("pk", flat=True))
    with Clusters(count, env, var_dir) as clusters:
        clusters.wait_ready()
        broker = get_broker()
        started = time.monotonic()
        for pk in pks:
            async_task(FUNC, pk, task_name=f"bench-{pk}", broker=broker)
        queued = time.monotonic() - started

        def ran():
            return sum(sum(c.values()) for c in clusters.executions()) >= len(pks)

        # Every claim committed, or (a job failed and rolled its claim back) every job ran: checks() counts.
        wait_until(lambda: not assignments.filter(notified_at__isnull=True).exists() or ran(), timeout, "the jobs")
        seconds = time.monotonic() - started
        wait_until(ran, 60, "every job's result")
        time.sleep(1)  # a late second execution would show now
        per_cluster = clusters.executions()
        failed = sum(sum(c.values()) for c in clusters.executions(failed=True))
        queue_left = broker.queue_size()
    return {"clusters": count, "jobs": len(pks), "seconds": seconds, "queued": queued, "failed": failed,
            "queue_left": queue_left, **checks(pks, per_cluster, assignments, mail)}  # fmt: skip


def checks(pks, per_cluster, assignments, mail):
    """Duplicates and losses, counted by executions (log lines), claims and e-mails."""
    runs = sum(per_cluster, Counter())
    expected = {f"bench-{pk}" for pk in pks}
    mailed = Counter()
    message_ids = Counter()
    for message in messages(mail):
        message_ids[message["Message-ID"]] += 1
        found = LINK.search(message.get_payload(decode=True) or b"")
        mailed[int(found.group(1)) if found else None] += 1
    claimed = assignments.filter(notified_at__isnull=False).count()
    duplicates = (
        sum(n - 1 for name, n in runs.items() if name in expected and n > 1)
        + sum(n - 1 for n in mailed.values() if n > 1)
        + sum(n - 1 for n in message_ids.values() if n > 1)
    )
    lost = len(expected - set(runs)) + (len(pks) - claimed) + len(set(pks) - set(mailed))
    return {"per_cluster": [sum(c.values()) for c in per_cluster], "executions": sum(runs.values()),
            "claimed": claimed, "mails": sum(mailed.values()), "duplicates": duplicates, "lost": lost}  # fmt: skip


def report(runs, clusters, workers):
    """Print every run, the scaling ratio of the median rates and the BENCH-RESULT lines; True when nothing ran
    twice or was lost."""
    for r in runs:
        print(
            f"{r['clusters']} cluster(s) × {workers} workers: {r['jobs']} jobs in {r['seconds']:.1f} s "
            f"({r['jobs'] / r['seconds']:.1f} jobs/s; queued in {r['queued']:.1f} s), executions per cluster "
            f"{r['per_cluster']}, claims {r['claimed']}, e-mails {r['mails']}, failed {r['failed']}, "
            f"left in queue {r['queue_left']}, duplicates {r['duplicates']}, lost {r['lost']}"
        )
    rate1 = statistics.median(r["jobs"] / r["seconds"] for r in runs if r["clusters"] == 1)
    rate_n = statistics.median(r["jobs"] / r["seconds"] for r in runs if r["clusters"] == clusters)
    ratio = rate_n / rate1
    print(f"scaling: {clusters} clusters drain {ratio:.2f}× as fast as 1 (medians; host: {os.cpu_count()} cores)")
    result(BENCH, f"jobs/s, 1 cluster × {workers} workers", f"{rate1:.1f} jobs/s", rate1)
    what = f"jobs/s, {clusters} clusters × {workers} workers"
    figure = f"{rate_n:.1f} jobs/s ({ratio:.2f}×)"
    # Fewer cores than workers in all: the clusters share the cores and the ratio says nothing about machines.
    met = ratio > 1 if (os.cpu_count() or 1) >= clusters * workers else None
    target = f"ratio > 1 (judged on ≥ {clusters * workers} cores)"
    result(BENCH, what, figure, rate_n, f"1 cluster: {rate1:.1f} jobs/s", ratio, target, met)
    duplicates = sum(r["duplicates"] for r in runs)
    lost = sum(r["lost"] + r["failed"] for r in runs)
    result(BENCH, "jobs run twice, all runs", str(duplicates), duplicates, "", None, "0", duplicates == 0)
    result(BENCH, "jobs lost or failed, all runs", str(lost), lost, "", None, "0", lost == 0)
    return duplicates + lost == 0


def database_url():
    """BENCH_DATABASE_URL when it names PostgreSQL (used as it is), else helper E's hE, re-created empty."""
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url
    recreate_database(DEFAULT_DATABASE_URL)
    return DEFAULT_DATABASE_URL


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2000)
    parser.add_argument("--clusters", type=int, default=2, help="compared with one cluster")
    parser.add_argument("--workers", type=int, default=2, help="per cluster")
    parser.add_argument("--rounds", type=int, default=2, help="runs of 1 and of N clusters, alternating")
    parser.add_argument("--timeout", type=int, default=900, help="seconds allowed per run")
    args = parser.parse_args()
    # SIGTERM (a runner's timeout) unwinds like an exception, so that the clusters are stopped on the way out.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)
    lock_seconds = 2 * args.rounds * args.timeout + 900
    with exclusive(redis_url, lock_seconds), tempfile.TemporaryDirectory(prefix="xianjie-clusters-bench-") as var_dir:
        env = production_environment(var_dir, database_url(), redis_url, args.workers)
        os.environ.update(env, LOG_LEVEL="WARNING")
        root_on_path()
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        assignments = build(args.jobs)
        saved = postpone_schedules()
        try:
            # 1, N, 1, N…: the host's other load drifts; alternating rounds and medians even it out.
            runs = [run(count, assignments, env, var_dir, args.timeout) for _ in range(args.rounds)
                    for count in (1, args.clusters)]  # fmt: skip
        finally:
            restore_schedules(saved)
            flush_redis(redis_url)
        ok = report(runs, args.clusters, args.workers)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
