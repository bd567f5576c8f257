"""The public help directory against a static file: requests per second, side by side, one machine.

    .venv/bin/python bench/public_directory.py [--seconds 10] [--connections 32] [--rounds 2]

The project runs as in production on the demo data: xianjie.settings.production under gunicorn
(one worker per core, Django's page cache warm) behind the nginx front of deploy/nginx/ (its
one-second micro-cache for anonymous visitors of the public pages). The same /help/ page, saved as
a file, is served by a plain nginx static server with the same number of worker processes. wrk
loads each in turn, `--rounds` times: the front, gunicorn alone (for the record) and the static
file; the script prints requests per second, latency percentiles and the ratio project / static
(target ≥ 0.8).

Needs Debian's wrk and nginx (`apt-get install wrk nginx-light`). BENCH_DATABASE_URL picks the
database (default: a fresh SQLite file); REDIS_URL, when set, puts the cache on Redis.
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from cryptography.fernet import Fernet
from support.table import result as bench_result

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TARGET = 0.8


def project_env(var_dir, database_url):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="xianjie.settings.production",
        SECRET_KEY="bench-" + "k" * 50,
        PERSONAL_DATA_KEYS=Fernet.generate_key().decode(),
        PERSONAL_DATA_HASH_KEY="bench-hash-key-" + "h" * 32,
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        XIANJIE_VAR_DIR=str(var_dir),
        DATABASE_URL=database_url,
    )
    return env


def manage(env, *args, settings=None):
    run_env = dict(env)
    if settings:
        run_env["DJANGO_SETTINGS_MODULE"] = settings
        run_env.pop("REDIS_URL", None)  # the demo's mails go to the ORM queue, not to a shared Redis
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=run_env, check=True, stdout=subprocess.DEVNULL)


def wait_for(url, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read()
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"nothing answered at {url}")


def wrk(url, seconds, connections):
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.MULTILINE))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": latency.get("50", "?"), "p99": latency.get("99", "?"), "non2xx": errors and errors[1]}


DEPLOY = ROOT / "deploy" / "nginx"


def nginx_conf(directory, static_port, front_port, app_port, static_root, workers):
    """One nginx: the project's production front (deploy/nginx) and a plain static server for the copy."""
    values = {
        "@CACHE_DIR@": str(directory / "nginx-cache"),
        "@UPSTREAM@": f"127.0.0.1:{app_port}",
        "@LISTEN@": f"127.0.0.1:{front_port}",
        "@STATIC_ROOT@": str(static_root),
        "@MEDIA_ROOT@": str(directory / "media"),
        "@CONF_DIR@": str(directory),
    }
    for name in ("xianjie-http.conf", "xianjie-server.conf", "xianjie-proxy.conf"):
        text = (DEPLOY / name).read_text()
        for key, value in values.items():
            text = text.replace(key, value)
        (directory / name).write_text(text)
    return f"""
worker_processes {workers};
pid {directory}/nginx.pid;
error_log {directory}/nginx-error.log;
daemon off;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {directory}/body;
    proxy_temp_path {directory}/proxy;
    fastcgi_temp_path {directory}/fastcgi;
    uwsgi_temp_path {directory}/uwsgi;
    scgi_temp_path {directory}/scgi;
    include {directory}/xianjie-http.conf;
    include {directory}/xianjie-server.conf;
    server {{
        listen 127.0.0.1:{static_port};
        root {directory}/static;
        default_type text/html;
        charset utf-8;
        location /help/ {{ try_files $uri/index.html =404; }}
    }}
}}
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    for tool in ("wrk", "nginx", "gunicorn"):
        if not (shutil.which(tool) or (tool == "gunicorn" and Path(PYTHON).with_name("gunicorn").exists())):
            raise SystemExit(f"{tool} is missing: apt-get install wrk nginx-light (gunicorn comes with the project)")

    work = Path(tempfile.mkdtemp(prefix="xianjie-bench-"))
    work.chmod(0o755)  # nginx's workers run as www-data and must read the static copy
    database_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{work / 'bench.sqlite3'}"
    env = project_env(work, database_url)
    print(f"building the demo site in {work} on {database_url.split('@')[-1]} …", flush=True)
    manage(env, "migrate", "--noinput")
    manage(env, "compilemessages", "--ignore=.venv", settings="xianjie.settings.dev")
    manage(env, "seed_demo", settings="xianjie.settings.dev")
    manage(env, "collectstatic", "--noinput")

    servers = []
    try:
        app_port, static_port, front_port = 18081, 18082, 18083
        gunicorn = Path(PYTHON).with_name("gunicorn")
        servers.append(
            subprocess.Popen(
                [str(gunicorn), "xianjie.wsgi:application", "-w", str(args.workers), "-b", f"127.0.0.1:{app_port}"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        app_url = f"http://127.0.0.1:{app_port}/help/"
        body = wait_for(app_url)
        for _ in range(50):  # every worker warms its cache
            wait_for(app_url)
        (work / "static" / "help").mkdir(parents=True)
        (work / "static" / "help" / "index.html").write_bytes(body)
        conf = nginx_conf(work, static_port, front_port, app_port, work / "static", args.workers)
        (work / "nginx.conf").write_text(conf)
        servers.append(
            subprocess.Popen(
                ["nginx", "-c", str(work / "nginx.conf")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
        )
        static_url = f"http://127.0.0.1:{static_port}/help/"
        front_url = f"http://127.0.0.1:{front_port}/help/"
        if wait_for(static_url) != body or wait_for(front_url) != body:
            raise SystemExit("the static copy or the page through the front differs from the page")

        print(f"/help/ is {len(body):,} bytes; {args.workers} workers each; wrk -c{args.connections} -d{args.seconds}s")
        results = {"project": [], "gunicorn": [], "static": []}
        for round_ in range(1, args.rounds + 1):
            for name, url in (("project", front_url), ("gunicorn", app_url), ("static", static_url)):
                result = wrk(url, args.seconds, args.connections)
                results[name].append(result)
                bad = f", {result['non2xx']} non-2xx" if result["non2xx"] else ""
                print(
                    f"  round {round_} {name:8} {result['rps']:>9,.0f} req/s  p50 {result['p50']:>8}"
                    f"  p99 {result['p99']:>8}{bad}",
                    flush=True,
                )
        best = {name: max(r["rps"] for r in rows) for name, rows in results.items()}
        ratio = best["project"] / best["static"]
        verdict = "meets" if ratio >= TARGET else "misses"
        print(
            f"best of rounds: project (nginx front + gunicorn) {best['project']:,.0f} req/s, "
            f"gunicorn alone {best['gunicorn']:,.0f} req/s, static {best['static']:,.0f} req/s"
        )
        print(f"ratio project/static = {ratio:.2f} ({verdict} the floor {TARGET})")
        print(f"ratio gunicorn alone/static = {best['gunicorn'] / best['static']:.2f} (Django's own cache, no front)")
        bench_result(
            "public_directory",
            "/help/ behind the nginx front",
            f"{best['project']:,.0f} req/s (gunicorn alone {best['gunicorn']:,.0f})",
            best["project"],
            floor=f"static file {best['static']:,.0f} req/s",
            ratio=ratio,
            target=f"ratio >= {TARGET}",
            met=ratio >= TARGET,
        )
    finally:
        for server in servers:
            server.send_signal(signal.SIGQUIT if server.args[0] == "nginx" else signal.SIGTERM)
        for server in servers:
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
