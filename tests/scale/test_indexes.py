"""The key casework pages can be served from indexes: no query of theirs has to read the cases or assignments table.

PostgreSQL only (the plans are PostgreSQL's). At test size (20 mechanisms, 20,000 cases, 60,000 assignments)
the planner may rightly prefer a sequential scan, so each captured SELECT is explained with
`SET LOCAL enable_seqscan = off`: a Seq Scan that remains, or an index scan without an index condition that
reads half the table, means that no index serves the query. bench/explain_pages.py checks the same pages
at full size with the planner's own choices.
"""

import json
import unittest

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mechanism.models import AreaLevel, Role, UnitKind
from tests.factories import AreaFactory, MechanismFactory, MembershipFactory, MemberUnitFactory, UserFactory

TABLES = ("mechanism_case", "mechanism_assignment")
MECHANISMS, UNITS, CASES = 20, 8, 20_000
FULL_READ = 0.5  # an index scan without a condition that reads half its table stands for a table scan

CASES_SQL = """
INSERT INTO mechanism_case (reference, source, reported_at, person_name, id_number, id_number_hash, phone, phone_hash,
  address, household_category, needs, urgency, narrative, consent_given, consent_by, consent_method, state,
  state_reason, resolved_at, verification_result, updated_at, area_id, mechanism_id, source_unit_id)
SELECT 'T' || c, 'member_unit', now() - c * interval '2 hours', 'P', '', md5(c::text), '', md5('p' || c), '', 'none',
  '["medical"]', 'normal', '', true, '', '', s.state, '',
  CASE WHEN s.state = 'closed' THEN now() END, '', now(), m.area_id, m.id, NULL
FROM generate_series(1, %(cases)s) c
JOIN LATERAL (SELECT CASE WHEN c %% 50 = 0 THEN 'reported' WHEN c %% 50 = 1 THEN 'in_progress' ELSE 'closed' END
  AS state) s ON true
JOIN mechanism_mechanism m ON m.id = (%(ids)s)[1 + c %% %(count)s]
"""

ASSIGNMENTS_SQL = """
INSERT INTO mechanism_assignment (task, assigned_at, due_on, due_provisional, state, outcome, return_reason,
  mechanism_id, unit_id, case_id)
SELECT '', c.reported_at, (c.reported_at + interval '10 days')::date, false,
  CASE WHEN c.state = 'in_progress' THEN 'acknowledged' WHEN c.state = 'closed' THEN 'completed' ELSE 'assigned' END,
  '', '', c.mechanism_id, u.id, c.id
FROM mechanism_case c
JOIN LATERAL (SELECT id FROM mechanism_memberunit WHERE mechanism_id = c.mechanism_id
  ORDER BY (id * 7 + c.id) % 13 LIMIT 3) u ON true
"""


def walk(node):
    yield node
    for child in node.get("Plans", []):
        yield from walk(child)


def table_reads(node, rows):
    """Why this plan node reads a whole cases or assignments table, or None."""
    relation = node.get("Relation Name")
    if relation not in TABLES:
        return None
    if node["Node Type"] == "Seq Scan":
        return f"Seq Scan on {relation}"
    read = (node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)) * node.get("Actual Loops", 1)
    if node["Node Type"] in ("Index Scan", "Index Only Scan") and "Index Cond" not in node and read >= rows * FULL_READ:
        return f"{node['Node Type']} on {relation} using {node['Index Name']} without a condition ({read} rows)"
    return None


class IndexedPagesTests(TestCase):
    """The unit dashboard, the queue, the case list and the supervision list of a mechanism among twenty."""

    @classmethod
    def setUpClass(cls):
        if connection.vendor != "postgresql":
            raise unittest.SkipTest("query plans are PostgreSQL's: run with TEST_DATABASE_URL")
        super().setUpClass()

    @classmethod
    def setUpTestData(cls):
        province = AreaFactory(code="140000", level=AreaLevel.PROVINCE)
        mechanisms = []
        for number in range(MECHANISMS):
            area = AreaFactory(code=f"14{number + 1:02d}00", level=AreaLevel.CITY, parent=province)
            mechanism = MechanismFactory(area=area)
            for code in range(UNITS):
                kind = UnitKind.GOVERNMENT if code == 0 else UnitKind.MASS_ORGANISATION
                MemberUnitFactory(mechanism=mechanism, code=f"m{number}u{code}", is_lead=code == 0, kind=kind)
            mechanisms.append(mechanism)
        cls.mechanism = mechanisms[0]
        units = list(cls.mechanism.units.order_by("pk"))
        cls.secretariat = MembershipFactory(unit=units[0], role=Role.SECRETARIAT, user=UserFactory()).user
        cls.liaison = MembershipFactory(unit=units[1], role=Role.LIAISON, user=UserFactory()).user
        ids = "ARRAY[" + ",".join(str(m.pk) for m in mechanisms) + "]::bigint[]"
        with connection.cursor() as cursor:
            cursor.execute(CASES_SQL % {"cases": CASES, "ids": ids, "count": MECHANISMS})
            cursor.execute(ASSIGNMENTS_SQL)
            cursor.execute("ANALYZE mechanism_case; ANALYZE mechanism_assignment")
            cursor.execute("SELECT count(*) FROM mechanism_assignment")
            cls.assignments = cursor.fetchone()[0]

    def full_reads(self, user, url):
        """Each captured SELECT of the page whose plan reads a whole cases or assignments table, with the reason."""
        self.client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        self.assertEqual(response.status_code, 200)
        rows = {"mechanism_case": CASES, "mechanism_assignment": self.assignments}
        found = []
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            for query in captured.captured_queries:
                sql = query["sql"]
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
                plan = cursor.fetchone()[0]
                plan = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]
                for node in walk(plan):
                    reason = table_reads(node, rows.get(node.get("Relation Name"), 0))
                    if reason:
                        found.append(f"{reason}: {sql[:400]}")
        self.assertGreater(len(captured.captured_queries), 3)
        return found

    def test_the_key_pages_are_served_by_indexes(self):
        self.assertEqual(self.mechanism.cases.count(), CASES // MECHANISMS)
        self.assertGreater(self.assignments, 2 * CASES)
        pages = [
            ("unit dashboard", self.liaison, reverse("wagtailadmin_home")),
            ("secretariat home", self.secretariat, reverse("wagtailadmin_home")),
            ("queue", self.secretariat, reverse("casework:queue")),
            ("queue, overdue only", self.secretariat, reverse("casework:queue") + "?overdue=on"),
            ("case list of the secretariat", self.secretariat, reverse("casework:cases")),
            ("case list of the liaison", self.liaison, reverse("casework:cases")),
            ("supervision list", self.secretariat, reverse("casework:supervision")),
        ]
        for name, user, url in pages:
            with self.subTest(name):
                self.assertEqual(self.full_reads(user, url), [])

    def test_a_missing_index_is_seen(self):
        """The check itself: a filter on a column with no index is reported."""
        self.client.force_login(self.secretariat)
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) SELECT count(*) FROM mechanism_case WHERE narrative = 'x'")
            plan = cursor.fetchone()[0]
        plan = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]
        reasons = [table_reads(node, CASES) for node in walk(plan)]
        self.assertIn("Seq Scan on mechanism_case", reasons)
