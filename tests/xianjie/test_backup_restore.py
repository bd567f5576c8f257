"""Backups restore: the demo data dumped by deploy/backup.sh comes back whole into an empty database.

PostgreSQL only (pg_dump and pg_restore); the SQLite run skips it and the PostgreSQL run of `make test` covers
it. Under CI a missing or mismatched pg_dump fails instead of skipping. The restore's rows are compared table by
table with the source, and an encrypted ID number read raw from the restored database opens with the app's keys
(and with no other key: the dump alone does not reveal it).
"""

import io
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import unittest
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg
from cryptography.fernet import Fernet, InvalidToken
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import TransactionTestCase

from mechanism import personal
from mechanism.models import Case

ROOT = Path(__file__).resolve().parents[2]
BACKUP = ROOT / "deploy" / "backup.sh"
RESTORE_CHECK = ROOT / "deploy" / "restore-check.sh"
TIMEOUT = 300  # seconds for one dump or restore
COUNT_ROWS = """
    SELECT table_name, (xpath('/row/c/text()', query_to_xml(
             format('SELECT count(*) AS c FROM %I.%I', table_schema, table_name), false, true, '')))[1]::text::bigint
      FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
"""


def require_pg_tools():
    """pg_dump/pg_restore of the server's major version; a skip outside CI, a failure under CI."""
    problem = None
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        problem = "pg_dump and pg_restore are not installed (apt-get install postgresql-client)"
    else:
        version = subprocess.run(["pg_dump", "--version"], capture_output=True, text=True, check=True).stdout
        client_major = int(re.search(r"(\d+)(?:\.\d+)*", version).group(1))
        server_major = connection.pg_version // 10000
        if client_major < server_major:
            problem = f"pg_dump {client_major} cannot dump a PostgreSQL {server_major} server"
    if problem and os.environ.get("CI"):
        raise AssertionError(f"CI must back up and restore: {problem}")
    if problem:
        raise unittest.SkipTest(problem)


def database_url(name):
    """A libpq URL of the test server with the given database name."""
    params = connection.settings_dict
    user = quote(params["USER"] or "", safe="")
    password = f":{quote(params['PASSWORD'], safe='')}" if params["PASSWORD"] else ""
    port = f":{params['PORT']}" if params["PORT"] else ""
    credentials = f"{user}{password}@" if user else ""
    return f"postgres://{credentials}{params['HOST'] or ''}{port}/{quote(name, safe='')}"


def run(command, **env):
    return subprocess.run(
        command, env={**os.environ, **env}, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )


def row_counts(cursor):
    cursor.execute(COUNT_ROWS)
    return dict(cursor.fetchall())


@unittest.skipUnless(connection.vendor == "postgresql", "pg_dump/pg_restore need PostgreSQL; its run covers this")
class BackupRestoreTests(TransactionTestCase):
    # Committed rows, so that pg_dump (another connection) sees them; the tables are flushed after each test.

    def setUp(self):
        require_pg_tools()
        self.work = Path(tempfile.mkdtemp(prefix="xianjie-backup-test-"))
        self.addCleanup(shutil.rmtree, self.work, ignore_errors=True)
        self.source_url = database_url(connection.settings_dict["NAME"])

    def backup(self):
        """deploy/backup.sh into a throwaway folder, with one uploaded file in the media folder; the dump's path."""
        (self.work / "var" / "media" / "documents").mkdir(parents=True)
        (self.work / "var" / "media" / "documents" / "notice.pdf").write_bytes(b"%PDF-1.4 demo")
        done = run(
            [str(BACKUP)],
            DATABASE_URL=self.source_url,
            BACKUP_DIR=str(self.work / "backups"),
            XIANJIE_VAR_DIR=str(self.work / "var"),
        )
        self.assertEqual(done.returncode, 0, done.stderr)
        dump = Path(done.stdout.strip())
        self.assertTrue(dump.is_file() and dump.stat().st_size > 0, done.stdout)
        self.assertEqual(dump.stat().st_mode & 0o077, 0, "a dump of personal data must be readable by its owner only")
        return dump

    def empty_database(self):
        """A new empty database on the test server, dropped when the test ends; its name."""
        name = f"xianjie_restore_test_{uuid.uuid4().hex[:12]}"
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")
        self.addCleanup(self.drop_database, name)
        return name

    def drop_database(self, name):
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def test_demo_backup_restores_into_an_empty_database_with_every_row_and_readable_personal_data(self):
        call_command("seed_demo", stdout=io.StringIO())
        dump = self.backup()
        with connection.cursor() as cursor:
            source_counts = row_counts(cursor)
        media = list((self.work / "backups").glob("xianjie-media-*.tar.gz"))
        self.assertEqual(len(media), 1)
        with tarfile.open(media[0]) as archive:
            self.assertIn("media/documents/notice.pdf", archive.getnames())

        restored = self.restore_into_empty_database(dump)
        with psycopg.connect(database_url(restored)) as restored_db, restored_db.cursor() as cursor:
            restored_counts = row_counts(cursor)
            cursor.execute("SELECT id, id_number, phone FROM mechanism_case WHERE id_number <> '' ORDER BY id LIMIT 1")
            case_pk, id_token, phone_token = cursor.fetchone()

        self.assertGreater(len(source_counts), 50)
        self.assertGreater(source_counts["mechanism_case"], 0)
        self.assertGreater(source_counts["meetings_meeting"], 0)
        differing = {
            table: (source_counts.get(table), restored_counts.get(table))
            for table in source_counts.keys() | restored_counts.keys()
            if source_counts.get(table) != restored_counts.get(table)
        }
        self.assertEqual(differing, {}, "tables whose row count (source, restored) differs")

        case = Case.objects.get(pk=case_pk)  # the source, read through the app
        self.assertNotIn(case.id_number, id_token)
        self.assertEqual(personal.decrypt(id_token), case.id_number)
        self.assertEqual(personal.decrypt(phone_token), case.phone)
        with self.assertRaises(InvalidToken):  # without the app's keys the restored ID number stays closed
            Fernet(Fernet.generate_key()).decrypt(id_token.encode())

        self.assert_no_personal_data_in_clear(dump)

    def restore_into_empty_database(self, dump):
        restored = self.empty_database()
        done = run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
             f"--dbname={database_url(restored)}", str(dump)]
        )  # fmt: skip
        self.assertEqual(done.returncode, 0, done.stderr)
        return restored

    def assert_no_personal_data_in_clear(self, dump):
        """The dump read back as SQL holds no ID number or phone of any case in clear."""
        sql = run(["pg_restore", "--file=-", str(dump)])
        self.assertEqual(sql.returncode, 0, sql.stderr)
        self.assertIn("COPY public.mechanism_case", sql.stdout)
        for id_number, phone in Case.objects.values_list("id_number", "phone"):
            for plain in filter(None, (id_number, phone)):
                self.assertNotIn(plain, sql.stdout)

    def test_restore_check_passes_on_a_faithful_dump_and_names_a_table_that_differs(self):
        users = get_user_model().objects
        for name in ("backup_one", "backup_two", "backup_three"):
            users.create_user(name, password="not-used")
        dump = self.backup()

        checked = run([str(RESTORE_CHECK), str(dump)], DATABASE_URL=self.source_url)
        self.assertEqual(checked.returncode, 0, checked.stdout + checked.stderr)
        self.assertIn("mismatches: 0", checked.stdout)
        self.assertRegex(checked.stdout, r"auth_user\s+3\s+3\n")

        users.filter(username="backup_two").delete()  # the source moved on after the dump
        checked = run([str(RESTORE_CHECK), str(dump)], DATABASE_URL=self.source_url)
        self.assertEqual(checked.returncode, 1, checked.stdout + checked.stderr)
        self.assertRegex(checked.stdout, r"auth_user\s+2\s+3\s+MISMATCH")
        self.assertIn("mismatches: 1", checked.stdout)
        scratch = re.search(r"restored into the empty database (\S+)", checked.stdout).group(1)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [scratch])
            self.assertEqual(cursor.fetchone()[0], 0, "restore-check.sh must drop its scratch database")
