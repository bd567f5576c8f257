"""Keyset pagination of the case list and the supervision list: pages follow on exactly, keep the filters, cost the
same queries on every page, never use OFFSET or an unbounded count, and a forged cursor only gives the first page."""

import base64
import csv
import datetime
import html
import io
import json
import re
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from mechanism.casework import keyset
from mechanism.models import Assignment, AssignmentState, Case, CaseState
from mechanism.services import triage
from tests.base import CastTestCase
from tests.casework import make_case, resident_id

SAME_TIME = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)
NEXT_LINK = re.compile(r'<li class="next"><a href="([^"]+)">')


def cursor(values):
    """A cursor as keyset.encode writes one, from any JSON values (to forge them)."""
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def shown(message, **values):
    """The text the page shows for a msgid, in the admin's language (the English source until the catalogue has it)."""
    with translation.override("zh-hans"):
        return translation.gettext(message) % values


@mock.patch.object(keyset, "PAGE_SIZE", 3)
class CaseListKeysetTest(CastTestCase):
    def setUp(self):
        """Eight cases, six of them reported at the same moment so that pages break inside equal reported_at."""
        self.cases = [
            make_case(
                self.province, by=self.secretariat, id_number=resident_id(serial=f"{n:03d}"), phone=f"1390000{n:04d}"
            )
            for n in range(8)
        ]
        for case in self.cases[:2]:
            triage.accept_case(case, by=self.secretariat)
        Case.objects.filter(pk__in=[c.pk for c in self.cases[1:7]]).update(reported_at=SAME_TIME)
        Case.objects.filter(pk=self.cases[0].pk).update(reported_at=SAME_TIME - datetime.timedelta(hours=1))
        Case.objects.filter(pk=self.cases[7].pk).update(reported_at=SAME_TIME + datetime.timedelta(hours=1))
        self.client = self.login(self.secretariat)

    def walk(self, url):
        """The pks of every page, following the Next links; and the links followed."""
        pages, links = [], []
        while url:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200)
            pages.append([case.pk for case in response.context["page"]])
            found = NEXT_LINK.search(response.content.decode())
            url = reverse("casework:cases") + html.unescape(found.group(1)) if found else None
            if url:
                links.append(url)
        return pages, links

    def test_the_next_page_continues_exactly_where_the_first_ended_across_equal_reported_at(self):
        pages, _links = self.walk(reverse("casework:cases"))
        expected = list(Case.objects.order_by("-reported_at", "-pk").values_list("pk", flat=True))
        self.assertEqual([len(page) for page in pages], [3, 3, 2])
        self.assertEqual([pk for page in pages for pk in page], expected)
        self.assertEqual(expected[0], self.cases[7].pk)
        self.assertEqual(expected[-1], self.cases[0].pk)

    def test_the_filters_are_kept_from_page_to_page(self):
        pages, links = self.walk(reverse("casework:cases") + f"?state={CaseState.REPORTED}")
        expected = Case.objects.filter(state=CaseState.REPORTED).order_by("-reported_at", "-pk")
        self.assertEqual([pk for page in pages for pk in page], list(expected.values_list("pk", flat=True)))
        self.assertEqual([len(page) for page in pages], [3, 3])
        self.assertEqual(len(links), 1)
        self.assertIn(f"state={CaseState.REPORTED}", links[0])

    def test_the_count_is_shown_and_capped(self):
        page = self.client.get(reverse("casework:cases")).content.decode()
        self.assertIn(shown("%(count)s in all", count=8), page)
        with mock.patch.object(keyset, "COUNT_CAP", 5):
            page = self.client.get(reverse("casework:cases")).content.decode()
        self.assertIn(shown("More than %(cap)s in all", cap=5), page)
        self.assertNotIn(shown("%(count)s in all", count=8), page)

    def test_a_forged_or_broken_cursor_gives_the_first_page(self):
        first = [case.pk for case in self.client.get(reverse("casework:cases")).context["page"]]
        forged = [
            "garbage!",
            "%%%",
            cursor(["not a date", 1]),
            cursor(["2026-03-02T09:30:00", 1]),  # naive
            cursor(["2026-03-02T09:30:00+00:00", 2**70]),  # beyond a 64-bit integer
            cursor(["2026-03-02T09:30:00+00:00"]),  # too short
            cursor({"reported_at": "2026-03-02T09:30:00+00:00"}),
            cursor([None, None]),
            base64.urlsafe_b64encode(b"\xff\xfe").decode(),
        ]
        for value in forged:
            with self.subTest(cursor=value):
                response = self.client.get(reverse("casework:cases"), {"after": value})
                self.assertEqual(response.status_code, 200)
                self.assertEqual([case.pk for case in response.context["page"]], first)
                self.assertTrue(response.context["page"].is_first)

    def test_a_well_formed_cursor_shows_nothing_outside_the_users_scope(self):
        other = make_case(self.taiyuan, by=self.outsider, area=self.taiyuan_area, person_name="周建军")
        later = cursor(["2100-01-01T00:00:00+00:00", 10**6])  # after every case there is
        response = self.login(self.outsider).get(reverse("casework:cases"), {"after": later})
        self.assertEqual([case.pk for case in response.context["page"]], [other.pk])
        self.assertNotIn(self.cases[7].reference, response.content.decode())

    def test_page_one_and_page_three_take_the_same_queries_without_offset_or_full_count(self):
        _pages, links = self.walk(reverse("casework:cases"))
        counts, statements = [], []
        for url in (reverse("casework:cases"), links[1]):
            self.client.get(url)  # warm the per-process caches
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(url)
            self.assertEqual(response.status_code, 200)
            counts.append(len(queries))
            statements += [query["sql"].upper() for query in queries]
        self.assertEqual(counts[0], counts[1])
        self.assertFalse([sql for sql in statements if " OFFSET " in sql])
        totals = [sql for sql in statements if "COUNT(" in sql and "CASE" in sql]
        self.assertTrue(totals)
        self.assertTrue(all("LIMIT 1001" in sql for sql in totals), totals)


class OverdueFlagTest(CastTestCase):
    def test_the_overdue_flag_comes_from_the_active_assignments_of_the_row(self):
        """The flag is worked out from the prefetched assignments now, no longer annotated by the database."""
        past = timezone.localdate() - datetime.timedelta(days=3)
        flagged, finished = [], []
        for n, bucket in enumerate((flagged, finished)):
            case = make_case(self.province, by=self.secretariat, id_number=resident_id(serial=f"{n:03d}"))
            triage.accept_case(case, by=self.secretariat)
            bucket += triage.refer_case(case, [self.zgh], by=self.secretariat)
        Assignment.objects.update(due_on=past)
        Assignment.objects.filter(pk=finished[0].pk).update(state=AssignmentState.COMPLETED)
        client = self.login(self.secretariat)
        rows = {case.pk: case.has_overdue for case in client.get(reverse("casework:cases")).context["page"]}
        self.assertEqual(rows, {flagged[0].case_id: True, finished[0].case_id: False})
        exported = list(
            csv.reader(
                io.StringIO(client.get(reverse("casework:cases"), {"export": "csv"}).content.decode("utf-8-sig"))
            )
        )
        overdue = {row[0]: row[10] for row in exported[1:]}
        with translation.override("zh-hans"):
            yes = translation.gettext("yes")
        self.assertEqual(overdue, {flagged[0].case.reference: yes, finished[0].case.reference: ""})


@mock.patch.object(keyset, "PAGE_SIZE", 2)
class SupervisionKeysetTest(CastTestCase):
    def test_supervision_pages_follow_on_across_equal_due_dates(self):
        late = timezone.localdate() - datetime.timedelta(days=5)
        for n in range(5):
            case = make_case(self.province, by=self.secretariat, id_number=resident_id(serial=f"{n:03d}"))
            triage.accept_case(case, by=self.secretariat)
            triage.refer_case(case, [self.zgh], by=self.secretariat)
        Assignment.objects.update(due_on=late)
        client = self.login(self.secretariat)
        url, seen = reverse("casework:supervision"), []
        while url:
            response = client.get(url)
            seen.append([assignment.pk for assignment in response.context["page"]])
            found = NEXT_LINK.search(response.content.decode())
            url = reverse("casework:supervision") + html.unescape(found.group(1)) if found else None
        self.assertEqual([len(page) for page in seen], [2, 2, 1])
        expected = list(Assignment.objects.order_by("due_on", "pk").values_list("pk", flat=True))
        self.assertEqual([pk for page in seen for pk in page], expected)
