"""A real django-q2 cluster (`manage.py qcluster` in a subprocess, tests/jobs/cluster_settings.py) sends a batch of
meeting notices, is killed with SIGKILL mid-batch (sentinel, workers and monitor at once), and restarted: every
recipient gets exactly one message per meeting and sequence, none twice, none lost.

The kill falls outside the send→commit window (the folder backend holds the next message at a gate until K files
exist and K deliveries are committed): inside that window delivery is at least once by design (same Message-ID).
ORM broker: the tasks the killed cluster held come back after RETRY. Redis broker: they are gone with it, and the
notice sweep (meetings.tasks.deliver_pending_notices, its schedule due at the restart) sends what they left.
"""

import contextlib
import datetime
import email
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from importlib import import_module
from pathlib import Path

from django.apps import apps as django_apps
from django.conf import settings
from django.db import connection
from django.test import TransactionTestCase
from django.utils import timezone
from django_q.models import Schedule, Task

from mechanism.models import Role
from meetings.models import Meeting, MeetingState, NoticeDelivery
from meetings.notices.sending import message_id
from tests import guarantees
from tests.factories import MechanismFactory, MembershipFactory, MemberUnitFactory, UserFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

REDIS_URL = os.environ.get("XIANJIE_TEST_REDIS_URL", "redis://127.0.0.1:6379/3")  # a db of its own: it is flushed
SWEEP = "meetings.tasks.deliver_pending_notices"
DELIVER = "meetings.notices.sending.deliver_notices"
MEETINGS, UNITS = 12, 4  # 48 notices
GATE_AFTER = 10
SCHEDULE_MIGRATION = "meetings.migrations.0005_deliver_pending_notices_schedule"


def redis_client():
    """A connected Redis client for REDIS_URL, or None when no server answers."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        return None
    return client


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class ClusterKillTests(TransactionTestCase):
    def setUp(self):
        if connection.vendor != "postgresql":
            self.skipTest("the cluster shares the test database: PostgreSQL only (SQLite's test database is :memory:)")
        self.folder = Path(tempfile.mkdtemp(prefix="xianjie-cluster-mail-"))
        self.gate = self.folder / "GATE"
        self.log = self.folder / "cluster.log"
        self.processes = []
        self.addCleanup(self.stop_all)
        self.meetings = self.noticed_meetings()

    def _fixture_teardown(self):
        """The flush after the test empties every table: the schedules the migrations made are put back."""
        schedules = list(Schedule.objects.values())
        super()._fixture_teardown()
        Schedule.objects.bulk_create(Schedule(**row) for row in schedules)

    # the batch ------------------------------------------------------------------------------------------------

    def noticed_meetings(self):
        mechanism = MechanismFactory()
        units = [MemberUnitFactory(mechanism=mechanism) for _ in range(UNITS)]
        for unit in units:
            MembershipFactory(user=UserFactory(), unit=unit, role=Role.LIAISON)
        starts = timezone.now() + datetime.timedelta(days=10)
        meetings = []
        for number in range(MEETINGS):
            meeting = MeetingFactory(
                mechanism=mechanism, starts_at=starts + datetime.timedelta(days=number), invited_units=units
            )
            AgendaItemFactory(meeting=meeting, order=1, title=f"议题{number}")
            meetings.append(meeting)
        Meeting.objects.filter(pk__in=[m.pk for m in meetings]).update(state=MeetingState.NOTICED)
        return meetings

    def prepare_schedules(self, sweep_at):
        """The sweep's schedule (re-made: a TransactionTestCase before may have flushed it) due at `sweep_at`,
        every other schedule out of the way."""
        import_module(SCHEDULE_MIGRATION).add_schedule(django_apps, None)
        Schedule.objects.exclude(func=SWEEP).update(next_run=timezone.now() + datetime.timedelta(days=1))
        Schedule.objects.filter(func=SWEEP).update(next_run=sweep_at)

    # the cluster ----------------------------------------------------------------------------------------------

    def env(self, redis_url):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.jobs.cluster_settings",
            "XIANJIE_CLUSTER_DB": connection.settings_dict["NAME"],
            "XIANJIE_CLUSTER_NAME": f"xjtest-{uuid.uuid4().hex[:8]}" if redis_url else "xianjie-test",
            "XIANJIE_MAIL_DIR": str(self.folder),
            "XIANJIE_MAIL_GATE": str(self.gate),
            "XIANJIE_MAIL_GATE_AFTER": str(GATE_AFTER),
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("XIANJIE_CLUSTER_REDIS", None)
        if redis_url:
            env["XIANJIE_CLUSTER_REDIS"] = redis_url
        return env

    def manage(self, env, *args):
        return [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *args]

    def queue_batch(self, env):
        pks = [meeting.pk for meeting in self.meetings]
        code = f"from django_q.tasks import async_task\nfor pk in {pks}: async_task({DELIVER!r}, pk)"
        subprocess.run(self.manage(env, "shell", "-c", code), env=env, cwd=settings.BASE_DIR, check=True, timeout=60)

    def start_cluster(self, env):
        with self.log.open("ab") as log:
            process = subprocess.Popen(
                self.manage(env, "qcluster"),
                env=env,
                cwd=settings.BASE_DIR,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: killpg reaches sentinel, workers and monitor
            )
        self.processes.append(process)
        return process

    def kill(self, process, sig=signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)

    def stop_all(self):
        for process in self.processes:
            if process.poll() is None or self.group_alive(process):
                self.kill(process, signal.SIGKILL)

    @staticmethod
    def group_alive(process):
        try:
            os.killpg(process.pid, 0)
        except (ProcessLookupError, PermissionError):
            return False
        return True

    # what arrived ---------------------------------------------------------------------------------------------

    def files(self):
        return sorted(self.folder.glob("*.eml"))

    def sent_rows(self):
        return NoticeDelivery.objects.filter(sent_at__isnull=False).count()

    def received(self):
        """Counter of (Message-ID, To) over the files: one file per SMTP send."""
        found = Counter()
        for path in self.files():
            message = email.message_from_bytes(path.read_bytes())
            found[(message["Message-ID"], message["To"])] += 1
        return found

    # the scenario ---------------------------------------------------------------------------------------------

    def run_kill_and_restart(self, subject, redis_url=None):
        began = time.monotonic()
        expected = MEETINGS * UNITS
        env = self.env(redis_url)
        self.prepare_schedules(timezone.now() + datetime.timedelta(days=1))
        self.gate.touch()
        first = self.start_cluster(env)  # boots while the batch is queued
        self.queue_batch(env)
        wait_for(lambda: len(self.files()) >= GATE_AFTER and self.sent_rows() == len(self.files()), 40, "the gate")
        self.kill(first)  # SIGKILL the whole group, outside any send→commit window
        at_kill = len(self.files())
        self.assertLess(at_kill, expected, "the cluster finished before it was killed")
        self.assertEqual(self.sent_rows(), at_kill)
        self.gate.unlink()
        if redis_url:
            self.prepare_schedules(timezone.now())  # the sweep is due as soon as the cluster runs its scheduler
        self.start_cluster(env)
        restarted = time.monotonic()
        wait_for(lambda: self.sent_rows() == expected and len(self.files()) >= expected, 90, "every notice")
        took = time.monotonic() - began, time.monotonic() - restarted
        time.sleep(1)  # a late duplicate would show now
        self.kill(self.processes[-1])  # everything is committed: no need to wait for a graceful stop
        self.assert_each_exactly_once(expected)
        sweeps = [task.result for task in Task.objects.filter(func=SWEEP)]
        if redis_url:  # the tasks the killed cluster had popped are gone: the sweep sent their notices
            self.assertTrue(any(sweeps), f"the sweep did not make up lost tasks: {sweeps}")
        else:  # the broker itself gave the held tasks back
            self.assertEqual(sweeps, [])
        guarantees.add("cluster", "notices", expected, subject=subject)
        guarantees.add("cluster", "duplicates", 0, subject=subject)
        guarantees.add("cluster", "lost", 0, subject=subject)
        return at_kill, took

    def assert_each_exactly_once(self, expected):
        received = self.received()
        deliveries = NoticeDelivery.objects.filter(sent_at__isnull=False).select_related("user")
        wanted = Counter((message_id(delivery), delivery.user.email) for delivery in deliveries)
        self.assertEqual(len(wanted), expected)
        self.assertEqual({key for key, count in received.items() if count > 1}, set(), "duplicates")
        self.assertEqual(received, wanted, "each (meeting, recipient) once")
        recipients = {(delivery.meeting_id, delivery.user_id) for delivery in deliveries}
        self.assertEqual(len(recipients), expected)

    def test_orm_broker_on_postgresql_sends_each_notice_once_after_a_kill(self):
        at_kill, took = self.run_kill_and_restart("orm-postgresql")
        print(
            f"\ncluster orm-postgresql: killed after {at_kill} notices; all sent {took[0]:.1f}s after the start, "
            f"{took[1]:.1f}s after the restart"
        )

    def test_redis_broker_sends_each_notice_once_after_a_kill(self):
        client = redis_client()
        if client is None:
            if os.environ.get("CI"):
                self.fail(f"Redis is not reachable at {REDIS_URL} (required under CI)")
            self.skipTest(f"Redis is not reachable at {REDIS_URL}")
        client.flushdb()
        at_kill, took = self.run_kill_and_restart("redis", REDIS_URL)
        client.flushdb()
        print(
            f"\ncluster redis: killed after {at_kill} notices; all sent {took[0]:.1f}s after the start, "
            f"{took[1]:.1f}s after the restart"
        )
