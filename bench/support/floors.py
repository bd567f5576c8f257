"""The floors of bench/scale_pages.py: one raw SQL query per page that fetches the rows the page shows.

Each function takes a cursor, the unit's or mechanism's pk and the dates, and returns (rows, pks): the fetched
rows and the pks the page must link to (assignments for the dashboard and the supervision list, cases for the
lists of cases), which the bench checks in the page it measured.
"""

ACTIVE = "('assigned', 'acknowledged')"
PAGE_SIZE = 50
SHOWN_PER_SECTION = 10

DASHBOARD = f"""
SELECT n.to_acknowledge, n.due_soon, n.overdue, n.completed,
       s.section, s.id, s.task, s.state, s.due_on, s.finished_at, c.reference
FROM (
    SELECT SUM(CASE WHEN state = 'assigned' THEN 1 ELSE 0 END) AS to_acknowledge,
           SUM(CASE WHEN state IN {ACTIVE} AND due_on BETWEEN %(today)s AND %(soon)s THEN 1 ELSE 0 END) AS due_soon,
           SUM(CASE WHEN state IN {ACTIVE} AND due_on < %(today)s THEN 1 ELSE 0 END) AS overdue,
           SUM(CASE WHEN state = 'completed' AND finished_at >= %(since)s THEN 1 ELSE 0 END) AS completed
    FROM mechanism_assignment WHERE unit_id = %(pk)s
) n
LEFT JOIN (
    SELECT * FROM (
        SELECT 0 AS section, id, case_id, task, state, due_on, finished_at FROM mechanism_assignment
        WHERE unit_id = %(pk)s AND state = 'assigned' ORDER BY due_on, id LIMIT {SHOWN_PER_SECTION}) t0
    UNION ALL SELECT * FROM (
        SELECT 1, id, case_id, task, state, due_on, finished_at FROM mechanism_assignment
        WHERE unit_id = %(pk)s AND state IN {ACTIVE} AND due_on >= %(today)s AND due_on <= %(soon)s
        ORDER BY due_on, id LIMIT {SHOWN_PER_SECTION}) t1
    UNION ALL SELECT * FROM (
        SELECT 2, id, case_id, task, state, due_on, finished_at FROM mechanism_assignment
        WHERE unit_id = %(pk)s AND state IN {ACTIVE} AND due_on < %(today)s
        ORDER BY due_on, id LIMIT {SHOWN_PER_SECTION}) t2
    UNION ALL SELECT * FROM (
        SELECT 3, id, case_id, task, state, due_on, finished_at FROM mechanism_assignment
        WHERE unit_id = %(pk)s AND state = 'completed' AND finished_at >= %(since)s
        ORDER BY finished_at DESC, id LIMIT {SHOWN_PER_SECTION}) t3
) s ON 1 = 1
LEFT JOIN mechanism_case c ON c.id = s.case_id
"""

CASE_COLUMNS = "id, reference, reported_at, urgency, state, person_name, needs, consent_given, area_id, mechanism_id"

CASES = """
WITH visible AS ({visible}),
page AS (SELECT * FROM visible ORDER BY {inner} LIMIT {size})
SELECT (SELECT COUNT(*) FROM visible) AS total, p.id, p.reference, p.reported_at, p.urgency, p.state, p.person_name,
       p.needs, p.consent_given, ar.name, m.name,
       EXISTS (SELECT 1 FROM mechanism_assignment o
               WHERE o.case_id = p.id AND o.state IN {active} AND o.due_on < %(today)s) AS overdue,
       (SELECT {units} FROM mechanism_assignment a JOIN mechanism_memberunit u ON u.id = a.unit_id
        WHERE a.case_id = p.id) AS units
FROM page p
LEFT JOIN mechanism_area ar ON ar.id = p.area_id
JOIN mechanism_mechanism m ON m.id = p.mechanism_id
ORDER BY {outer}
"""

# The case list of a liaison: cases assigned to its unit or reported by it. PostgreSQL answers faster with a
# UNION (each side uses its index), SQLite with an OR (its planner turns the OR into two index lookups).
ASSIGNED_TO_UNIT = "id IN (SELECT case_id FROM mechanism_assignment WHERE unit_id = %(pk)s AND case_id IS NOT NULL)"
LIAISON_CASES = {
    "postgresql": f"SELECT {{columns}} FROM mechanism_case WHERE {ASSIGNED_TO_UNIT}"
    " UNION SELECT {columns} FROM mechanism_case WHERE source_unit_id = %(pk)s",
    "sqlite": f"SELECT {{columns}} FROM mechanism_case WHERE {ASSIGNED_TO_UNIT} OR source_unit_id = %(pk)s",
}
NEWEST_FIRST = "{t}reported_at DESC, {t}id DESC"
# The triage queue: reported before accepted, emergency before urgent before normal, oldest first.
QUEUE_CASES = "SELECT {columns} FROM mechanism_case WHERE mechanism_id = %(pk)s AND state IN ('reported', 'accepted')"
QUEUE_ORDER = (
    "CASE WHEN {t}state = 'reported' THEN 0 ELSE 1 END,"
    " CASE {t}urgency WHEN 'emergency' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END, {t}reported_at, {t}id"
)

SUPERVISION = f"""
SELECT (SELECT COUNT(*) FROM mechanism_assignment
        WHERE mechanism_id = %(pk)s AND state IN {ACTIVE} AND due_on < %(today)s) AS total,
       a.id, a.due_on, a.state, a.due_provisional, u.short_name, m.name, c.reference
FROM (SELECT id, unit_id, mechanism_id, case_id, due_on, state, due_provisional FROM mechanism_assignment
      WHERE mechanism_id = %(pk)s AND state IN {ACTIVE} AND due_on < %(today)s
      ORDER BY due_on, id LIMIT {PAGE_SIZE}) a
JOIN mechanism_memberunit u ON u.id = a.unit_id
JOIN mechanism_mechanism m ON m.id = a.mechanism_id
LEFT JOIN mechanism_case c ON c.id = a.case_id
ORDER BY a.due_on, a.id
"""


def case_sql(visible, order, vendor):
    units = "string_agg(u.short_name, '、')" if vendor == "postgresql" else "group_concat(u.short_name, '、')"
    inner, outer = order.format(t=""), order.format(t="p.")
    return CASES.format(
        visible=visible.format(columns=CASE_COLUMNS),
        inner=inner,
        outer=outer,
        size=PAGE_SIZE,
        active=ACTIVE,
        units=units,
    )


def fetch(cursor, sql, params):
    cursor.execute(sql, params)
    return cursor.fetchall()


def dashboard(cursor, pk, params):
    """The four counts and the first rows of the four sections; the pks are the listed assignments."""
    rows = fetch(cursor, DASHBOARD, {**params, "pk": pk})
    return rows, [row[5] for row in rows if row[5] is not None]


def liaison_cases(cursor, pk, params):
    vendor = cursor.db.vendor
    rows = fetch(cursor, case_sql(LIAISON_CASES[vendor], NEWEST_FIRST, vendor), {**params, "pk": pk})
    return rows, [row[1] for row in rows]


def queue(cursor, pk, params):
    rows = fetch(cursor, case_sql(QUEUE_CASES, QUEUE_ORDER, cursor.db.vendor), {**params, "pk": pk})
    return rows, [row[1] for row in rows]


def supervision(cursor, pk, params):
    rows = fetch(cursor, SUPERVISION, {**params, "pk": pk})
    return rows, [row[1] for row in rows]
