"""EXPLAIN (ANALYZE, BUFFERS) of every page a user opens that touches cases or assignments, on a scale database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xj_scale_tenth .venv/bin/python bench/explain_pages.py

The database is one filled by `manage.py generate_scale_data` (or `seed_demo`); it is never migrated, and
everything runs inside one transaction that is rolled back, so the data set is left as it was. For a few
random secretariat, supervisor and liaison users (and the first superuser) each page is requested through the
test client under production settings, its SQL captured, and every SELECT explained. A sequential scan of
mechanism_case or mechanism_assignment misses the target (met: false) and its plan is printed, unless a LIMIT
stopped it after under 1% of the table (a capped count); sequential scans of other large tables are listed.
Jobs and POST-only screens (ladder, agenda builder, filing export, summary figures, duplicate guard) are run as
the code they call. One line per page, and one BENCH-RESULT line per role (its pages' scans summed).
"""

import argparse
import datetime
import html
import json
import os
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from support.scale import environment  # noqa: E402  (bench/ is on the path when run as a script)

FORBIDDEN = {"mechanism_case", "mechanism_assignment"}
JOB = "daily job"
BIG_ROWS = 10_000  # other tables with at least this many rows have their sequential scans listed
# The filters of the queue and the case list (CaseFilterForm); unit and area are added per mechanism.
FILTERS = ["", "state=in_progress", "urgency=emergency", "need=housing", "overdue=on", "q=2024"]


def setup_django():
    """Production settings on DATABASE_URL, without migrating; sessions in signed cookies (nothing to write)."""
    url = os.environ.get("DATABASE_URL") or os.environ.get("BENCH_DATABASE_URL") or ""
    if not url.startswith("postgres"):
        sys.exit("explain_pages: set DATABASE_URL to a PostgreSQL scale database (EXPLAIN is PostgreSQL's).")
    os.environ.update(environment(url))  # the bench keys of the generated data, unless exported
    os.environ["LOG_LEVEL"] = "ERROR"
    os.environ.pop("REDIS_URL", None)
    import logging

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import update_last_login
    from django.contrib.auth.signals import user_logged_in
    from django.test.utils import override_settings

    # No collectstatic needed: the pages' SQL is what is measured, not their assets.
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    override_settings(
        SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies",
        STORAGES={**settings.STORAGES, "staticfiles": static},
    ).enable()
    user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # a failed page shows as its status


# Plans --------------------------------------------------------------------------------------------------


def walk(node):
    yield node
    for child in node.get("Plans", []):
        yield from walk(child)


def own_ms(node):
    """Time spent in the node itself (its total over all loops, less its children's)."""
    total = node.get("Actual Total Time", 0.0) * node.get("Actual Loops", 1)
    return total - sum(c.get("Actual Total Time", 0.0) * c.get("Actual Loops", 1) for c in node.get("Plans", []))


def stopped_early(node, size):
    """A scan a LIMIT stopped after reading under 1% of the table (a capped count, "any row"): not a table scan."""
    read = (node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)) * node.get("Actual Loops", 1)
    return size > 0 and read < size / 100


def explain(cursor, sql, analyze=True):
    options = "ANALYZE, BUFFERS, FORMAT JSON" if analyze else "FORMAT JSON"
    cursor.execute(f"EXPLAIN ({options}) {sql}")
    value = cursor.fetchone()[0]
    return (json.loads(value) if isinstance(value, str) else value)[0]


def plan_text(cursor, sql):
    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
    return "\n".join(row[0] for row in cursor.fetchall())


def table_sizes(cursor):
    cursor.execute("SELECT relname, greatest(reltuples, 0)::bigint FROM pg_class WHERE relkind = 'r'")
    return dict(cursor.fetchall())


def examine(cursor, queries, sizes):
    """Explain each captured SELECT; returns the page's figures and the offending statements."""
    result = {"queries": len(queries), "ms": 0.0, "worst": None, "forbidden": [], "other": []}
    for query in queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        plan = explain(cursor, sql, analyze="FOR UPDATE" not in sql.upper())
        result["ms"] += plan.get("Planning Time", 0.0) + plan.get("Execution Time", 0.0)
        for node in walk(plan["Plan"]):
            ms = own_ms(node)
            label = node["Node Type"] + (f" on {node['Relation Name']}" if "Relation Name" in node else "")
            if result["worst"] is None or ms > result["worst"][1]:
                result["worst"] = (label, ms)
            if node["Node Type"] != "Seq Scan":
                continue
            relation = node["Relation Name"]
            if stopped_early(node, sizes.get(relation, 0)):
                if relation in FORBIDDEN:
                    result["other"].append(f"{relation} (stopped early by a LIMIT)")
            elif relation in FORBIDDEN:
                result["forbidden"].append((relation, sql))
            elif sizes.get(relation, 0) >= BIG_ROWS:
                result["other"].append(relation)
    return result


# Pages ------------------------------------------------------------------------------------------------


NEXT = "next:"  # a URL so marked is the second page of a keyset list, its link read from the first page


def resolve(client, target):
    """The URL to capture: a marked list's "Next" link, fetched outside the capture."""
    if not target.startswith(NEXT):
        return target
    url = target.removeprefix(NEXT)
    found = re.search(r'href="(\?[^"]*after=[^"]*)"', client.get(url).content.decode())
    return url + html.unescape(found.group(1)) if found else url


def pick(rng, queryset, count):
    """A few random rows of a queryset, reading at most 200 of its first rows (no ORDER BY random())."""
    rows = list(queryset[:200])
    return rng.sample(rows, min(count, len(rows)))


def pick_users(count):
    """`count` random users per role, the generator's scale-… users if there are any (memberships are few)."""
    from mechanism.models import Membership, Role

    chosen = {}
    for role in (Role.SECRETARIAT, Role.SUPERVISOR, Role.LIAISON):
        memberships = Membership.objects.filter(role=role, user__is_active=True).select_related("user", "unit")
        scale = memberships.filter(user__username__startswith="scale-")
        chosen[role] = list((scale if scale.exists() else memberships).order_by("?")[:count])
    return chosen


def staff_pages(rng, membership):
    """(label, url or callable) of what the secretariat or a supervisor opens."""
    from mechanism.casework.queries import areas_within
    from mechanism.models import Assignment, Case, MemberUnit

    mechanism = membership.unit.mechanism
    unit = pick(rng, MemberUnit.objects.filter(mechanism=mechanism).values_list("pk", flat=True), 1)
    area = pick(rng, areas_within([mechanism]).values_list("pk", flat=True), 1)
    base = "/admin/casework/"
    lists = {"queue": base, "cases": base + "cases/"}
    pages = [("home", "/admin/"), ("queue page 2", base + "?p=2"), ("cases next page", NEXT + base + "cases/")]
    pages += [(f"{name} {query or 'plain'}", f"{url}?{query}") for name, url in lists.items() for query in FILTERS]
    pages += [("supervision", base + "supervision/"), ("supervision next page", NEXT + base + "supervision/")]
    pages.append(("filing", base + "filing/"))
    if unit:
        pages.append(("cases unit", f"{base}cases/?unit={unit[0]}"))
    if area:
        pages.append(("cases area", f"{base}cases/?area={area[0]}"))
    for pk in pick(rng, Case.objects.filter(mechanism=mechanism).values_list("pk", flat=True), 1):
        pages.append(("case detail", f"{base}case/{pk}/"))
    for pk in pick(rng, Assignment.objects.filter(mechanism=mechanism).values_list("pk", flat=True), 1):
        pages.append(("assignment detail", f"{base}assignment/{pk}/"))
    return pages + meeting_pages(rng, mechanism) + work_pages(mechanism)


def meeting_pages(rng, mechanism):
    """The meetings screens that list cases and assignments: agenda, minutes (action items), the lists."""
    from meetings.models import Meeting

    held = Meeting.objects.filter(mechanism=mechanism, minutes__isnull=False).values_list("pk", flat=True)
    pages = [("meetings list", "/admin/meetings/list/"), ("topics", "/admin/meetings/topics/")]
    for pk in pick(rng, held.order_by("-starts_at"), 1):
        pages += [("meeting", f"/admin/meetings/{pk}/"), ("minutes", f"/admin/meetings/{pk}/minutes/")]
    return pages + [("handovers", "/admin/handovers/"), ("summaries", "/admin/summaries/")]


def work_pages(mechanism):
    """Screens and jobs that are not a plain GET: evaluated as the code paths they run."""
    from django.utils import timezone

    from mechanism.filing import filing_cases
    from mechanism.models import Case
    from mechanism.services.guard import check_person
    from meetings.models import Meeting
    from meetings.services import agenda
    from rotation.summaries.figures import compute_figures

    today = timezone.localdate()
    year = datetime.date(today.year - 1, 1, 1)
    meeting = Meeting(mechanism=mechanism, starts_at=timezone.now() + datetime.timedelta(days=7))
    person = Case.objects.filter(mechanism=mechanism).exclude(id_number_hash="").values("id_number_hash").first()
    pages = [
        (
            "agenda candidates",
            lambda: list(agenda.returned_assignments(mechanism.pk, *agenda.return_thresholds(today))),
        ),
        ("agenda follow-ups", lambda: list(agenda.follow_up_assignments(meeting, today))),
        ("agenda tabled cases", lambda: list(Case.objects.filter(mechanism=mechanism, state="tabled")[:200])),
        ("filing export", lambda: list(filing_cases(None, mechanism, year, year.replace(month=12, day=31))[:500])),
        ("summary figures", lambda: compute_figures(mechanism, year, year.replace(month=12, day=31), today)),
    ]
    if person:
        pages.append(("duplicate guard", lambda: check_person(mechanism, person["id_number_hash"], "")))
    return pages


def liaison_pages(rng, membership):
    from django.utils import timezone

    from mechanism.models import Assignment
    from meetings.feed import feed_assignments

    base = "/admin/casework/"
    pages = [
        ("home (unit dashboard)", "/admin/"),
        ("cases", base + "cases/"),
        ("cases next page", NEXT + base + "cases/"),
        ("cases overdue", base + "cases/?overdue=on"),
    ]
    mine = Assignment.objects.filter(unit=membership.unit).values_list("pk", "case_id")
    for pk, case_id in pick(rng, mine, 1):
        pages.append(("assignment detail", f"{base}assignment/{pk}/"))
        if case_id:
            pages.append(("case detail", f"{base}case/{case_id}/"))
    today = timezone.localdate()
    window = (today - datetime.timedelta(days=30), today + datetime.timedelta(days=90))
    pages.append(("calendar feed", lambda: list(feed_assignments(membership.user, *window))))
    return pages


def superuser_pages():
    """A superuser reads every mechanism: the lists with no mechanism to narrow them."""
    base = "/admin/casework/"
    return [
        ("home", "/admin/"),
        ("queue", base),
        ("cases", base + "cases/"),
        ("cases next page", NEXT + base + "cases/"),
        ("cases state", base + "cases/?state=closed"),
        ("supervision", base + "supervision/"),
    ]


def system_pages():
    """The public pages, as an anonymous visitor."""
    return [("public directory", "/help/"), ("open data", "/help/channels.json")]


def job_pages():
    """The daily overdue ladder's selection (read only: nothing is claimed or sent). A job, not a page: once a
    day a sequential scan may well be the planner's best way to read every active assignment, so it is shown
    but not held to the pages' target."""
    from django.utils import timezone

    from mechanism import ladder

    day = ladder.Day.of(timezone.localdate())
    return [("overdue ladder", lambda: list(ladder.pending_assignments(day)))]


# Running ------------------------------------------------------------------------------------------------


def capture(client, target):
    """The SQL one page runs (a URL through the client, or a callable) and the response status."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if isinstance(target, str):
        target = resolve(client, target)
    with CaptureQueriesContext(connection) as captured:
        if isinstance(target, str):
            status = client.get(target, HTTP_ACCEPT_LANGUAGE="en").status_code
        else:
            target()
            status = "-"
    return captured.captured_queries, status


def report(cursor, who, label, figures, status):
    """The page's line, and the plan of its first sequential scan of cases or assignments; returns the scans."""
    worst = figures["worst"] or ("-", 0.0)
    scans = len(figures["forbidden"])
    print(
        f"{who:<40} {label:<28} status={status!s:<4} queries={figures['queries']:<3} "
        f"plan+exec={figures['ms']:8.1f} ms  worst: {worst[0]} {worst[1]:.1f} ms  seq scans cases/assignments={scans}"
        f"  other big seq scans: {', '.join(sorted(set(figures['other']))) or 'none'}"
    )
    for relation, sql in figures["forbidden"][:1]:
        plan = "\n".join("    " + line for line in plan_text(cursor, sql).splitlines())
        print(f"  -- Seq Scan on {relation}; plan:\n{plan}")
    return scans


def results(pages):
    """One BENCH-RESULT line per role over its pages and users: scans summed, the slowest page and worst node kept."""
    roles = defaultdict(list)
    for (role, label), rows in pages.items():
        roles[role].extend((label, *row) for row in rows)
    for role, rows in roles.items():
        scans = sum(row[1] for row in rows)
        slowest = max(rows, key=lambda row: row[3])
        worst = max((row[2] or ("-", 0.0) for row in rows), key=lambda node: node[1])
        line = {
            "bench": "explain_pages",
            "what": f"{role}: {len({row[0] for row in rows})} pages",
            "figure": f"{scans} seq scans on cases/assignments",
            "value": float(scans),
            "floor": f"slowest page {slowest[0]} {slowest[3]:.1f} ms in SQL; worst node {worst[0]} {worst[1]:.1f} ms",
            "ratio": None,
            "target": "0" if role != JOB else "none (a daily job, not a page)",
            "met": scans == 0 if role != JOB else None,
        }
        print("BENCH-RESULT " + json.dumps(line, ensure_ascii=False))


def plan_pages(rng, count):
    """(role, user, pages) for the ladder, the first superuser and `count` random users per role."""
    from django.contrib.auth import get_user_model

    from mechanism.models import Role

    plan = [("visitor", None, system_pages()), (JOB, None, job_pages())]
    superuser = get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if superuser is not None:
        plan.append(("superuser", superuser, superuser_pages()))
    for role, memberships in pick_users(count).items():
        for membership in memberships:
            pages = liaison_pages(rng, membership) if role == Role.LIAISON else staff_pages(rng, membership)
            plan.append((str(role), membership.user, pages))
    return plan


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=2, help="random users per role")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    setup_django()
    from django.db import connection, transaction
    from django.test import Client

    rng = random.Random(args.seed)
    measured = defaultdict(list)
    with transaction.atomic():
        cursor = connection.cursor()
        sizes = table_sizes(cursor)
        cursor.execute("SELECT setseed(%s)", [1 / (1 + args.seed)])  # the users order_by("?") picks
        print(f"cases ≈ {sizes.get('mechanism_case', 0):,}, assignments ≈ {sizes.get('mechanism_assignment', 0):,}")
        for role, user, pages in plan_pages(rng, args.users):
            client = Client(raise_request_exception=False)
            if user is not None:
                client.force_login(user)
            for label, target in pages:
                queries, status = capture(client, target)
                figures = examine(cursor, queries, sizes)
                scans = report(cursor, f"{role} {getattr(user, 'username', '')}", label, figures, status)
                measured[role, label].append((scans, figures["worst"], figures["ms"]))
        transaction.set_rollback(True)
    results(measured)
    failures = sum(scans for (role, _label), rows in measured.items() if role != JOB for scans, _worst, _ms in rows)
    print(f"explain_pages: {failures} sequential scan(s) of cases/assignments")
    return 0  # a scan found is a missed target in the table (met: false), not a failed bench


if __name__ == "__main__":
    sys.exit(main())
