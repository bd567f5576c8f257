"""Every django-q2 job, scheduled (the Schedule table) or queued (after_commit/async_task in the code), is
idempotent: run twice, the second run sends no e-mail and changes no row; after a crash between the claim and the
send (the SMTP connection dies, before or after part of a batch went out), running it again sends each e-mail
exactly once in all and leaves nothing claimed but unsent."""

from collections import Counter

import time_machine
from django.apps import apps
from django.core import mail
from django.db import models, transaction
from django.test import override_settings
from django.utils.module_loading import import_string
from django_q.models import Schedule

from meetings.models import NoticeDelivery
from meetings.notices.sending import message_id
from tests import guarantees
from tests.base import CastTestCase

from .backends import CRASH, crash_after
from .work import WORK, queued_jobs

CRASHING = "tests.jobs.backends.CrashingBackend"
CRASHES = ((0, 1), (1, 1))  # (messages that go out first, messages that then fail)
NOTICE_JOBS = ("meetings.notices.sending.deliver_notices", "meetings.tasks.deliver_pending_notices")


def snapshot():
    """Every row of every table, as values: equal snapshots mean no row was added, changed or deleted."""
    rows = {}
    for model in apps.get_models():
        if model._meta.managed and not model._meta.proxy:
            rows[model._meta.label] = list(model._base_manager.order_by("pk").values_list())
    return rows


def claims():
    """Per table: the row count and how many rows have each nullable timestamp (claim) set; pk-free, so two runs
    of the same work compare equal whatever the sequences handed out."""
    found = {}
    for model in apps.get_models():
        if not model._meta.managed or model._meta.proxy:
            continue
        manager = model._base_manager
        found[model._meta.label] = manager.count()
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateTimeField) and field.null:
                found[f"{model._meta.label}.{field.name}"] = manager.filter(**{f"{field.name}__isnull": False}).count()
    return found


def sent():
    return Counter((tuple(message.to), message.subject) for message in mail.outbox)


def run(func, calls, crash_ok=False):
    job = import_string(func)
    for args in calls:
        try:
            job(*args)
        except Exception:
            if not crash_ok:  # a crashed task fails; the broker or the next run tries again
                raise


def all_jobs():
    scheduled = set(Schedule.objects.values_list("func", flat=True))
    return sorted(scheduled | set(queued_jobs()))


class JobDiscoveryTests(CastTestCase):
    def test_every_scheduled_job_is_given_work(self):
        scheduled = set(Schedule.objects.values_list("func", flat=True))
        self.assertGreaterEqual(len(scheduled), 6, scheduled)
        self.assertIn("meetings.tasks.deliver_pending_notices", scheduled)
        self.assertEqual(sorted(scheduled - set(WORK)), [], "add these scheduled jobs to tests/jobs/work.py WORK")

    def test_every_queued_job_is_given_work(self):
        queued = queued_jobs()
        self.assertIn("meetings.notices.sending.deliver_notices", queued)
        unknown = {func: where for func, where in queued.items() if func not in WORK}
        self.assertEqual(unknown, {}, "add these queued jobs to tests/jobs/work.py WORK")


class JobIdempotenceTests(CastTestCase):
    def give_work(self, func):
        moment, setup, sends = WORK[func]
        calls = setup(self)
        mail.outbox.clear()
        return calls, sends

    def test_each_job_run_twice_acts_once(self):
        for func in all_jobs():
            moment = WORK[func][0]
            with self.subTest(job=func), time_machine.travel(moment, tick=False), transaction.atomic():
                calls, sends = self.give_work(func)
                before = snapshot()
                run(func, calls)
                first, after_first = len(mail.outbox), snapshot()
                self.assertTrue(first if sends else after_first != before, f"{func} found no work")
                run(func, calls)
                self.assertEqual(len(mail.outbox), first, f"{func} sent again")
                self.assertEqual(snapshot(), after_first, f"{func} changed rows on its second run")
                duplicates = sum(count - 1 for count in sent().values())
                self.assertEqual(duplicates, 0)
                transaction.set_rollback(True)
                guarantees.add("jobs", "runs twice", 1, subject=func)
                guarantees.add("jobs", "duplicates", duplicates, subject=func)

    def test_each_mailing_job_recovers_from_a_crash_between_claim_and_send(self):
        for func in [func for func in all_jobs() if WORK[func][2]]:
            moment = WORK[func][0]
            with self.subTest(job=func), time_machine.travel(moment, tick=False), transaction.atomic():
                calls, _sends = self.give_work(func)
                clean, clean_claims = self.clean_run(func, calls)
                for through, failures in CRASHES:
                    self.crash_and_recover(func, calls, through, failures, clean, clean_claims)
                transaction.set_rollback(True)
                guarantees.add("jobs", "crash recoveries", len(CRASHES), subject=func)

    def clean_run(self, func, calls):
        with transaction.atomic():
            run(func, calls)
            clean, clean_claims = sent(), claims()
            transaction.set_rollback(True)
        mail.outbox.clear()
        self.assertTrue(clean, f"{func} sent nothing")
        return clean, clean_claims

    def crash_and_recover(self, func, calls, through, failures, clean, clean_claims):
        with transaction.atomic(), override_settings(EMAIL_BACKEND=CRASHING):
            crash_after(through, failures)
            run(func, calls, crash_ok=True)
            self.assertEqual(CRASH["left"], 0, f"{func}: the crash did not happen")
            run(func, calls)  # recovery: the next scheduled run, the mail sweep, or the ORM broker handing it back
            run(func, calls)
            self.assertEqual(sent(), clean, f"{func} after a crash at message {through + 1}")
            self.assertEqual(claims(), clean_claims, f"{func}: claimed but unsent (or unclaimed) rows")
            if func in NOTICE_JOBS:
                self.assert_one_message_id_per_sent_delivery()
            transaction.set_rollback(True)
        mail.outbox.clear()

    def assert_one_message_id_per_sent_delivery(self):
        # The minutes' e-mails (also swept) have no own Message-ID; a notice without one leaves a delivery unmatched.
        ids = [message.extra_headers["Message-ID"] for message in mail.outbox if "Message-ID" in message.extra_headers]
        deliveries = NoticeDelivery.objects.filter(sent_at__isnull=False)
        self.assertEqual(sorted(ids), sorted(message_id(delivery) for delivery in deliveries))
        self.assertEqual(len(set(ids)), len(ids))
