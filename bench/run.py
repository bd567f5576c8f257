"""`make bench`: every benchmark at 1/10 scale on SQLite and PostgreSQL, side by side in one run, as one table.

    .venv/bin/python bench/run.py [--size tenth] [--databases sqlite,postgresql] [--only scale_pages,ladder] [--quick]
    .venv/bin/python bench/run.py --size full --databases postgresql --only scale_pages,ladder,explain_pages

For each database it migrates and fills a scale data set with `manage.py generate_scale_data` (SQLite:
var/bench/scale-<size>.sqlite3; PostgreSQL, when BENCH_DATABASE_URL or TEST_DATABASE_URL names a server: the
database xj_scale_<size> there, dropped and created), or reuses it when its marker file says it holds that size
and seed and its counts still match. Then each bench runs as a subprocess with its own environment: the scale
benches (scale_pages, ladder; explain_pages on PostgreSQL) read the data set with the keys it was generated
with; two_clusters (PostgreSQL and Redis) and the small benches (calendar_feed, documents, rotation_documents,
public_directory) get an empty database (SQLite: a temporary file; PostgreSQL: xj_bench, copied from a migrated
template). Their BENCH-RESULT lines make the table, printed and written to var/bench/table.md with the date and
the machine. The exit code is 1 if a bench failed (a missed target is not a failure).
"""

import argparse
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from support.scale import ROOT, VAR_DIR, environment  # noqa: E402
from support.table import machine, markdown, text_table  # noqa: E402

PYTHON = sys.executable
TIMEOUT = 1200  # seconds per bench; then it is stopped (SIGTERM) and counts as failed
SCALE_BENCHES = ["scale_pages", "ladder", "explain_pages"]
EMPTY_BENCHES = ["two_clusters", "calendar_feed", "documents", "rotation_documents", "public_directory"]
QUICK_ARGS = {
    "scale_pages": ["--requests", "50"],
    "ladder": ["--no-tracemalloc"],
    "explain_pages": ["--users", "1"],
    "two_clusters": ["--jobs", "300"],
    "calendar_feed": ["--requests", "50"],
    "documents": ["--runs", "10"],
    "rotation_documents": ["--runs", "10"],
    "public_directory": ["--seconds", "3", "--rounds", "1"],
}


def with_database(url, name):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def postgres_admin(server_url, *statements):
    """Run statements on the server's maintenance database (DROP/CREATE DATABASE need autocommit)."""
    import psycopg

    with psycopg.connect(with_database(server_url, "postgres"), autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def recreate(server_url, name, template=None):
    copy = f" TEMPLATE {template}" if template else ""
    postgres_admin(server_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}{copy}")


def counts(url):
    """(mechanisms, units, cases, assignments) in a scale database, or None if it has no such tables."""
    tables = ["mechanism_mechanism", "mechanism_memberunit", "mechanism_case", "mechanism_assignment"]
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {table})" for table in tables)
    try:
        if url.startswith("sqlite"):
            import sqlite3

            path = urlsplit(url).path
            if not Path(path).exists():
                return None
            with sqlite3.connect(path) as connection:
                return list(connection.execute(sql).fetchone())
        import psycopg

        with psycopg.connect(url) as connection:
            return list(connection.execute(sql).fetchone())
    except Exception:  # noqa: BLE001 - a missing database or table means "generate it"
        return None


def manage(env, *args, capture=False):
    command = [PYTHON, "manage.py", *args]
    done = subprocess.run(command, cwd=ROOT, env=env, check=True, text=True, capture_output=capture)
    return done.stdout if capture else None


def prepare_scale(vendor, url, server_url, size, seed):
    """Migrate and fill the scale database unless its marker says it holds this size and seed; returns a note."""
    marker = VAR_DIR / f"scale-{vendor}-{size}.json"
    env = environment(url)
    wanted = {"size": size, "seed": seed, "database": url}
    if marker.exists():
        saved = json.loads(marker.read_text())
        if {key: saved.get(key) for key in wanted} == wanted and saved.get("counts") == counts(url):
            manage(env, "migrate", "--noinput", "-v", "0")  # new index migrations apply to the kept data
            return f"reused ({saved['seconds']:.0f} s to generate)"
    marker.unlink(missing_ok=True)
    if vendor == "sqlite":
        Path(urlsplit(url).path).unlink(missing_ok=True)
    else:
        recreate(server_url, urlsplit(url).path.lstrip("/"))
    started = time.monotonic()
    print(f"migrating and generating the {size} data set on {vendor} …", flush=True)
    manage(env, "migrate", "--noinput", "-v", "0")
    out = manage(env, "generate_scale_data", "--size", size, "--seed", str(seed), "--quiet", capture=True)
    seconds = time.monotonic() - started
    generated = next((line for line in out.splitlines() if line.startswith("generated:")), "generated: {}")
    print(generated, flush=True)
    marker.write_text(json.dumps({**wanted, "counts": counts(url), "seconds": seconds, "line": generated}))
    return f"generated in {seconds:.0f} s (migrate included)"


def run_bench(name, env, args, database):
    """Run one bench script; its BENCH-RESULT rows, or one failed row with its last error line."""
    print(f"\n=== {name} on {database} ===", flush=True)
    started = time.monotonic()
    process = subprocess.Popen(
        [PYTHON, str(ROOT / "bench" / f"{name}.py"), *args],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    watchdog = threading.Timer(TIMEOUT, process.terminate)
    watchdog.start()
    rows, last = [], ""
    for line in process.stdout:
        if line.startswith("BENCH-RESULT "):
            rows.append({**json.loads(line[len("BENCH-RESULT ") :]), "database": database})
            continue
        print("  " + line, end="", flush=True)
        last = line.strip() or last
    code = process.wait()
    watchdog.cancel()
    if time.monotonic() - started >= TIMEOUT:
        last = f"stopped after {TIMEOUT} s"
    print(f"  ({time.monotonic() - started:.0f} s, exit {code})", flush=True)
    if code or not rows:
        reason = f"exit {code}: {last}" if code else "printed no BENCH-RESULT line"
        rows.append({"bench": name, "what": "", "database": database, "figure": f"FAILED ({reason})"[:160]})
        rows[-1]["failed"] = True
    return rows


def skipped(name, database, reason):
    print(f"\n=== {name} on {database}: skipped: {reason} ===", flush=True)
    return [{"bench": name, "what": "", "database": database, "figure": f"skipped: {reason}"}]


def redis_up(host="127.0.0.1", port=6379):
    try:
        socket.create_connection((host, port), timeout=2).close()
        return True
    except OSError:
        return False


def web_tools():
    """None if nginx and wrk are there (installed with apt-get when missing and root), else why not."""
    missing = [tool for tool in ("nginx", "wrk") if not shutil.which(tool)]
    if missing and os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-q", "nginx-light", "wrk"], check=False)
        missing = [tool for tool in ("nginx", "wrk") if not shutil.which(tool)]
    return f"{' and '.join(missing)} missing (apt-get install nginx-light wrk as root)" if missing else None


def empty_database_env(vendor, server_url):
    """The environment of a bench that builds its own data: SQLite temporary files, or a fresh xj_bench."""
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "BENCH_DATABASE_URL")}
    env.setdefault("DB_CONN_MAX_AGE", "60")  # persistent connections, as in deploy/env.example
    if vendor == "postgresql":
        recreate(server_url, "xj_bench", template="xj_bench_template")
        env["BENCH_DATABASE_URL"] = with_database(server_url, "xj_bench")
    return env


def run_database(vendor, server_url, args, chosen):
    """All chosen benches on one database; their rows."""
    if vendor == "sqlite":
        url = f"sqlite:///{VAR_DIR / f'scale-{args.size}.sqlite3'}"
    else:
        url = with_database(server_url, f"xj_scale_{args.size}")
    note = prepare_scale(vendor, url, server_url, args.size, args.seed)
    rows = [{"bench": "generate_scale_data", "what": args.size, "database": vendor, "figure": note}]
    for name in [name for name in SCALE_BENCHES if name in chosen]:
        if name == "explain_pages" and vendor != "postgresql":
            continue
        rows += run_bench(name, environment(url), extra_args(name, args), vendor)
    if vendor == "postgresql" and set(EMPTY_BENCHES) & set(chosen):
        recreate(server_url, "xj_bench_template")
        manage(environment(with_database(server_url, "xj_bench_template")), "migrate", "--noinput", "-v", "0")
    for name in [name for name in EMPTY_BENCHES if name in chosen]:
        reason = None
        if name == "two_clusters":
            reason = "needs PostgreSQL" if vendor != "postgresql" else None if redis_up() else "Redis is not running"
        elif name == "public_directory":
            reason = web_tools()
        if reason:
            rows += skipped(name, vendor, reason)
        else:
            rows += run_bench(name, empty_database_env(vendor, server_url), extra_args(name, args), vendor)
    return rows


def extra_args(name, args):
    if args.quick:
        return QUICK_ARGS.get(name, [])
    if name == "scale_pages":
        return ["--requests", str(args.requests)]
    return []


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--size", choices=["tiny", "tenth", "full"], default="tenth", help="full: about 6 min to generate on PostgreSQL"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--only", default=",".join(SCALE_BENCHES + EMPTY_BENCHES), help="comma-separated benches")
    parser.add_argument("--requests", type=int, default=200, help="scale_pages requests per page")
    parser.add_argument("--quick", action="store_true", help="fewer requests and runs everywhere (a smoke run)")
    args = parser.parse_args()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    server_url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL") or ""
    manage(environment(f"sqlite:///{VAR_DIR / 'static.sqlite3'}"), "collectstatic", "--noinput", "-v", "0")
    rows = []
    for vendor in args.databases.split(","):
        if vendor == "postgresql" and not server_url.startswith("postgres"):
            rows += skipped("all", vendor, "set TEST_DATABASE_URL or BENCH_DATABASE_URL to a PostgreSQL server")
            continue
        rows += run_database(vendor, server_url, args, args.only.split(","))
    minutes = (time.monotonic() - started) / 60
    title = f"`make bench` at {args.size} size, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    about = f"{machine()}; Python {platform.python_version()}; the whole run took {minutes:.0f} min."
    print("\n" + text_table(rows))
    (VAR_DIR / "table.md").write_text(markdown(title, about, rows))
    print(f"\n{about}\nwritten to {VAR_DIR / 'table.md'}")
    return 1 if any(row.get("failed") for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
