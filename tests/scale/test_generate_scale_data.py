"""generate_scale_data at the tiny size: every state, the sizes asked for, data the app reads back,
reproducible from the seed, and a refusal that writes nothing on a database that is not empty."""

import datetime
import hashlib
import io
import json

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import TestCase
from django.utils import timezone, translation

from mechanism import ladder, personal
from mechanism.models import (
    Assignment,
    AssignmentState,
    Case,
    CaseCounter,
    CaseState,
    FollowUp,
    HelpChannel,
    Mechanism,
    MemberUnit,
)
from meetings.models import Meeting

TINY = {"mechanisms": 6, "units": 60, "cases": 600, "assignments": 1800}


def generate(**options):
    out = io.StringIO()
    call_command("generate_scale_data", size="tiny", quiet=True, stdout=out, **options)
    line = out.getvalue().strip().splitlines()[-1]
    assert line.startswith("generated: "), line
    return json.loads(line.removeprefix("generated: "))


def digest():
    """A hash over the generated rows (not the Fernet tokens: those carry a random IV by design)."""
    sha = hashlib.sha256()
    queries = [
        Case.objects.values_list("pk", "reference", "state", "reported_at", "resolved_at", "verified_on",
                                 "person_name", "id_number_hash", "phone_hash", "needs", "updated_at"),
        Assignment.objects.values_list("pk", "case_id", "unit_id", "state", "assigned_at", "due_on", "finished_at",
                                       "ack_reminder_at", "due_soon_at", "due_today_at", "overdue_at"),
        FollowUp.objects.values_list("pk", "assignment_id", "kind", "happened_on", "created_at"),
        Meeting.objects.values_list("pk", "mechanism_id", "number", "starts_at", "state", "uid"),
        get_user_model().objects.values_list("pk", "username", "password", "last_name"),
        HelpChannel.objects.values_list("pk", "value", "last_verified_on"),
    ]  # fmt: skip
    for query in queries:
        for row in query.order_by("pk"):
            sha.update(repr(row).encode())
    return sha.hexdigest()


class GeneratedDataTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.result = generate()

    def test_counts_match_the_size(self):
        counts = self.result["counts"]
        self.assertEqual(Mechanism.objects.count(), TINY["mechanisms"])
        self.assertEqual(MemberUnit.objects.count(), TINY["units"])
        self.assertEqual(Case.objects.count(), TINY["cases"])
        self.assertEqual(Assignment.objects.count(), TINY["assignments"])
        self.assertEqual(counts["mechanism_case"], TINY["cases"])
        self.assertEqual(counts["mechanism_followup"], FollowUp.objects.count())
        self.assertEqual(get_user_model().objects.filter(username__startswith="scale-").count(), 2 * 6 + 60)

    def test_every_state_is_present(self):
        self.assertEqual(set(Case.objects.values_list("state", flat=True)), set(CaseState.values))
        self.assertEqual(set(Assignment.objects.values_list("state", flat=True)), set(AssignmentState.values))

    def test_references_follow_the_counters(self):
        for counter in CaseCounter.objects.all():
            references = Case.objects.filter(mechanism_id=counter.mechanism_id, reference__contains=f"-{counter.year}-")
            self.assertEqual(references.count(), counter.last)
            self.assertTrue(references.filter(reference=f"XJ-{counter.year}-{counter.last:06d}").exists())

    def test_the_orm_decrypts_what_the_hashes_index(self):
        case = Case.objects.exclude(id_number_hash="").order_by("pk").first()
        self.assertEqual(len(case.id_number), 18)
        self.assertEqual(personal.normalize_id_number(case.id_number), case.id_number)
        self.assertEqual(personal.blind_index("id", case.id_number), case.id_number_hash)
        self.assertEqual(personal.blind_index("phone", case.phone), case.phone_hash)

    def test_old_ladder_stages_were_already_sent(self):
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        run = timezone.make_aware(datetime.datetime.combine(yesterday, datetime.time(8, 30)))
        pending = ladder.pending_assignments(ladder.Day.of(yesterday))
        self.assertFalse(pending.filter(assigned_at__lt=run).exists())  # what existed at yesterday's run was sent
        self.assertTrue(Assignment.objects.active().filter(overdue_at__isnull=False).exists())

    def test_escalated_cases_have_their_linked_case_above(self):
        escalated = Case.objects.filter(state=CaseState.ESCALATED)
        self.assertTrue(escalated.exists())
        for case in escalated:
            self.assertEqual(case.escalated_to.mechanism_id, case.mechanism.parent_id)

    def test_casework_list_and_unit_dashboard_render_for_scale_users(self):
        mechanism = Mechanism.objects.order_by("pk").last()
        newest = Case.objects.filter(mechanism=mechanism).order_by("-reported_at").first()
        self.client.force_login(get_user_model().objects.get(username=f"scale-m{mechanism.pk}-sec"))
        response = self.client.get("/admin/casework/cases/", HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(response, newest.reference)
        unit = mechanism.units.order_by("pk").last()
        self.client.force_login(get_user_model().objects.get(username=f"scale-u{unit.pk}"))
        response = self.client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(response, unit.name)

    def test_refuses_a_database_that_is_not_empty(self):
        before = (Case.objects.count(), Assignment.objects.count(), get_user_model().objects.count())
        with translation.override("en"), self.assertRaisesMessage(CommandError, "fills an empty, migrated database"):
            generate()
        self.assertEqual((Case.objects.count(), Assignment.objects.count(), get_user_model().objects.count()), before)


class ReproducibleTests(TestCase):
    def build_digest(self, seed):
        with transaction.atomic():
            generate(seed=seed)
            found = digest()
            transaction.set_rollback(True)
        return found

    def test_one_seed_gives_the_same_rows(self):
        first = self.build_digest(1)
        self.assertFalse(Case.objects.exists())
        self.assertEqual(self.build_digest(1), first)
        self.assertNotEqual(self.build_digest(2), first)
