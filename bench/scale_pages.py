"""The casework pages on a generated data set: server time against 50 ms and against one raw SQL query.

    DATABASE_URL=… .venv/bin/python bench/scale_pages.py [--requests 200] [--seed 1] [--pages dashboard,…]

Reads a database filled by `manage.py generate_scale_data` (never migrates, flushes or writes to it but for the
login sessions) under xianjie.settings.production, in-process through Django's test client (URL resolution,
middleware, view, template; no network). Pages: the unit dashboard (admin home) and the case list of a random
liaison `scale-u{pk}`; the triage queue and the supervision list of a random secretariat `scale-m{pk}-sec`.
Each request goes to another random user; the floor is one raw SQL query that fetches what that page shows
(bench/support/floors.py), timed the same way right after it. Every page must answer 200 and link to every row
the floor fetched, else the bench fails: a bench that measures an error page is worthless. Prints p50 and p95
of both and the ratio of the p50s (target: p95 under 50 ms, p50 within 2x of the floor). A second floor shows
what the page costs beyond Wagtail's admin frame: the same user's filing page (a small form in the same chrome:
menu, header, scripts), timed right after; and the page's own SQL time, summed over its queries once per page.
"""

import argparse
import datetime
import statistics
import time

from support import floors
from support.scale import configure, generated_counts, scale_users
from support.table import result
from support.timing import percentiles

TARGET_MS = 50.0
TARGET_RATIO = 2.0
WARMUP = 5
FRAME_URL_NAME = "casework:filing"
# name: (user pattern, URL name, floor, URL name of the rows the page links to)
PAGES = {
    "unit dashboard": ("scale-u{}", "wagtailadmin_home", floors.dashboard, "casework:assignment"),
    "case list": ("scale-u{}", "casework:cases", floors.liaison_cases, "casework:case"),
    "triage queue": ("scale-m{}-sec", "casework:queue", floors.queue, "casework:case"),
    "supervision list": ("scale-m{}-sec", "casework:supervision", floors.supervision, "casework:assignment"),
}


def floor_params(connection):
    """The dates the pages compute, adapted for raw SQL on this database."""
    from django.utils import timezone

    from mechanism import workdays
    from mechanism.casework.panels import RECENT_DAYS, SOON_WORKING_DAYS

    today = timezone.localdate()
    soon = workdays.add_working_days(today, SOON_WORKING_DAYS).day
    since = timezone.now() - datetime.timedelta(days=RECENT_DAYS)
    ops = connection.ops
    return {
        "today": ops.adapt_datefield_value(today),
        "soon": ops.adapt_datefield_value(soon),
        "since": ops.adapt_datetimefield_value(since),
    }


class Logins:
    """One test client per user, logged in once (the login is not timed)."""

    def __init__(self):
        self.clients = {}

    def client(self, user):
        from django.test import Client

        if user.pk not in self.clients:
            self.clients[user.pk] = Client()
            self.clients[user.pk].force_login(user)
        return self.clients[user.pk]


def check(name, response, pks, link_name):
    """The page answered 200 and links to every row the floor fetched; returns whether it showed rows."""
    from django.urls import reverse

    assert response.status_code == 200, f"{name}: HTTP {response.status_code}"
    body = response.content.decode()
    missing = [pk for pk in pks if f'href="{reverse(link_name, args=[pk])}"' not in body]
    assert not missing, f"{name}: the page does not show rows the floor fetched: {missing[:5]}"
    return bool(pks)


def measure(name, requests, seed, logins, params):
    """(page times, floor times, pages that showed rows) over `requests` random users, after a warm-up."""
    from django.db import connection
    from django.urls import reverse

    pattern, url_name, floor, link_name = PAGES[name]
    url = reverse(url_name)
    frame_url = reverse(FRAME_URL_NAME)
    page_times, floor_times, frame_times, with_rows = [], [], [], 0
    for n, (user, pk) in enumerate(scale_users(pattern, requests + WARMUP, seed)):
        client = logins.client(user)
        started = time.perf_counter()
        response = client.get(url)
        page_ms = (time.perf_counter() - started) * 1000
        connection.ensure_connection()  # the page's connection is kept (DB_CONN_MAX_AGE); so is the floor's
        started = time.perf_counter()
        with connection.cursor() as cursor:
            _rows, pks = floor(cursor, pk, params)
        floor_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        assert client.get(frame_url).status_code == 200, f"{FRAME_URL_NAME} of {user.username}"
        frame_ms = (time.perf_counter() - started) * 1000
        shown = check(f"{name} of {user.username}", response, pks, link_name)
        if n >= WARMUP:
            page_times.append(page_ms)
            floor_times.append(floor_ms)
            frame_times.append(frame_ms)
            with_rows += shown
    return sorted(page_times), sorted(floor_times), sorted(frame_times), with_rows, sql_ms(url, seed, logins)


def sql_ms(url, seed, logins, users=20):
    """The median over a few users of the page's SQL time (its queries timed as they run), and its query count.

    Timed by an execute wrapper with perf_counter: the captured queries' own times are rounded to 1 ms."""
    from django.db import connection

    pattern = next(pattern for pattern, url_name, *_rest in PAGES.values() if url.endswith(reverse_of(url_name)))
    totals, counts = [], []
    for user, _pk in scale_users(pattern, users, seed):
        spent = []

        def timed(execute, sql, params, many, context, spent=spent):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                spent.append(time.perf_counter() - started)

        client = logins.client(user)  # a first login is not the page's
        client.get(url)  # nor are the first request's caches
        with connection.execute_wrapper(timed):
            client.get(url)
        totals.append(sum(spent) * 1000)
        counts.append(len(spent))
    return statistics.median(totals), max(counts)


def reverse_of(url_name):
    from django.urls import reverse

    return reverse(url_name)


def report(name, page_times, floor_times, frame_times, with_rows, sql, vendor):
    p50, p95 = percentiles(page_times)
    floor_p50, floor_p95 = percentiles(floor_times)
    frame_p50, frame_p95 = percentiles(frame_times)
    sql_p50, queries = sql
    ratio = p50 / floor_p50
    met = p95 < TARGET_MS and ratio <= TARGET_RATIO
    print(
        f"{name}: {len(page_times)} requests ({with_rows} showed rows); page p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
        f"mean {statistics.fmean(page_times):.1f} ms; raw SQL p50 {floor_p50:.2f} ms, p95 {floor_p95:.2f} ms; "
        f"p50 page/raw {ratio:.1f}x; {'meets' if met else 'misses'} the target; "
        f"admin frame alone p50 {frame_p50:.1f} ms, p95 {frame_p95:.1f} ms; "
        f"the page's SQL {sql_p50:.1f} ms in {queries} queries",
        flush=True,
    )
    result(
        "scale_pages",
        f"{name} ({vendor})",
        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms",
        p95,
        floor=f"raw SQL p50 {floor_p50:.2f} ms, p95 {floor_p95:.2f} ms",
        ratio=ratio,
        target=f"p95 < {TARGET_MS:.0f} ms, p50 <= {TARGET_RATIO:.0f}x raw",
        met=met,
    )
    result(
        "scale_pages",
        f"{name} beyond the admin frame ({vendor})",
        f"p50 {p50:.1f} ms, of which SQL {sql_p50:.1f} ms ({queries} queries)",
        p50,
        floor=f"the admin frame alone (filing page) p50 {frame_p50:.1f} ms",
        ratio=p50 / frame_p50,
        target="",
        met=None,
    )
    if not with_rows:
        raise SystemExit(f"{name}: no page showed a row; the data set does not exercise this page")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated: " + ", ".join(PAGES))
    args = parser.parse_args()
    configure()
    from django.db import connection

    mechanisms, units, cases, assignments = generated_counts()
    print(
        f"database {connection.vendor}: {mechanisms:,} mechanisms, {units:,} units, {cases:,} cases, "
        f"{assignments:,} assignments; {args.requests} requests per page over random users",
        flush=True,
    )
    logins, params = Logins(), floor_params(connection)
    for n, name in enumerate(filter(None, (name.strip() for name in args.pages.split(",")))):
        times = measure(name, args.requests, args.seed + n, logins, params)
        report(name, *times, connection.vendor)


if __name__ == "__main__":
    main()
