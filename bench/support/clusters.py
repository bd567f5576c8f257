"""Real django-q2 clusters for the benches: `manage.py qcluster` processes under production settings on the
Redis broker, each in a process group of its own (like a machine of its own), stopped even when a bench fails;
and what they left behind: the tasks their logs say they processed, the e-mails the file backend wrote."""

import contextlib
import email
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/hE"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/5"  # helper E's db: flushed before and after each run
# The monitor's line after each execution, in English or Chinese (the logs follow LANGUAGE_CODE):
# "Processed 'func' (name)" / "已处理 'func' (name)"; a failure goes on: "… (name) - result" / "… (name) 失败 - result".
FINISHED = re.compile(r"'[\w.]+' \((\S+)\)(.*)$", re.MULTILINE)
RUNNING = re.compile(r"(running\.|正在运行。)$", re.MULTILINE)  # the sentinel's "Q Cluster … running."
SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # Django's file backend writes one after each message


def production_environment(var_dir, database_url, redis_url, workers):
    """The environment of xianjie.settings.production for this process and its clusters: the same keys for both
    (the clusters decrypt what this process wrote), cache and broker on `redis_url`, mail into var_dir/mail."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "xianjie.settings.production",
        "SECRET_KEY": "bench-" + "k" * 50,
        "PERSONAL_DATA_KEYS": Fernet.generate_key().decode(),
        "PERSONAL_DATA_HASH_KEY": "bench-hash-key-" + "h" * 32,
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
        "XIANJIE_VAR_DIR": str(var_dir),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "EMAIL_URL": f"file://{Path(var_dir) / 'mail'}",
        "Q_WORKERS": str(workers),
        "LOG_LEVEL": "INFO",  # the clusters' "Processed" lines are the record of every execution
        "PYTHONUNBUFFERED": "1",
    }


def root_on_path():
    """Make the project importable from a bench script (run as bench/<name>.py)."""
    sys.path.insert(0, str(ROOT))


def recreate_database(url):
    """Drop and create the PostgreSQL database named by `url` (a bench's own, never a shared one)."""
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


LOCK_KEY = "xianjie-bench:clusters-lock"  # kept by flush_redis: one bench at a time on a Redis db


def flush_redis(url):
    """Empty the Redis db of `url` (queue, cluster stats and cache) but for the lock; fails loudly when no
    server answers."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    for key in client.scan_iter(count=1000):
        if key != LOCK_KEY.encode():
            client.delete(key)


@contextlib.contextmanager
def exclusive(url, seconds):
    """Hold the Redis db of `url` for this bench: two benches on one db would pop and flush each other's jobs.
    Another holder stops this one with a RuntimeError; the lock expires after `seconds` if this one is killed."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    token = f"{os.getpid()}@{os.uname().nodename}"
    if not client.set(LOCK_KEY, token, nx=True, ex=seconds):
        holder = client.get(LOCK_KEY).decode()
        raise RuntimeError(f"another cluster bench ({holder}) is using {url}; wait for it or set BENCH_REDIS_URL")
    try:
        yield
    finally:
        if client.get(LOCK_KEY) == token.encode():
            client.delete(LOCK_KEY)


class Clusters:
    """`count` qcluster processes started with `env`, their output in log_dir/cluster-N.log. A context manager:
    on leaving, every process group is stopped (SIGTERM, then SIGKILL), whatever happened inside."""

    def __init__(self, count, env, log_dir):
        self.env = env
        self.logs = [Path(log_dir) / f"cluster-{n}.log" for n in range(1, count + 1)]
        self.processes = []

    def __enter__(self):
        for log in self.logs:
            log.unlink(missing_ok=True)
            with log.open("ab") as out:
                self.processes.append(
                    subprocess.Popen(
                        [sys.executable, str(ROOT / "manage.py"), "qcluster"],
                        env=self.env,
                        cwd=ROOT,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,  # a group of its own: sentinel, workers, monitor and pusher
                    )
                )
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def wait_ready(self, timeout=60):
        """Wait until every cluster logs that it runs; a cluster that exits or stays silent stops the bench."""
        deadline = time.monotonic() + timeout
        while not all(RUNNING.search(log.read_text(errors="replace")) for log in self.logs):
            for process, log in zip(self.processes, self.logs, strict=True):
                if process.poll() is not None:
                    tail = log.read_text(errors="replace")[-2000:]
                    raise RuntimeError(f"{log.name}: qcluster exited with {process.returncode}; it ends:\n{tail}")
            if time.monotonic() > deadline:
                tail = self.logs[0].read_text(errors="replace")[-2000:]
                raise RuntimeError(f"the clusters did not start within {timeout}s; {self.logs[0].name} ends:\n{tail}")
            time.sleep(0.2)

    def stop(self):
        """SIGTERM each group (a graceful stop), SIGKILL what is left after 20 s."""
        for process in self.processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=20)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # workers may outlive their sentinel
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=5)
        self.processes = []

    def executions(self, failed=False):
        """[Counter of task name → executions] per cluster (its monitor logs one line after each run); with
        failed=True only the runs that failed."""
        counts = []
        for log in self.logs:
            found = FINISHED.finditer(log.read_text(errors="replace"))
            counts.append(Counter(match.group(1) for match in found if not failed or match.group(2).strip()))
        return counts


def messages(folder):
    """Every e-mail Django's file backend wrote into `folder` (a file may hold several: one per connection)."""
    found = []
    for path in sorted(Path(folder).glob("*")):
        for part in path.read_bytes().split(SEPARATOR):
            if part.strip():
                found.append(email.message_from_bytes(part))
    return found
