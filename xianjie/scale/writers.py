"""Bulk writers: PostgreSQL COPY (psycopg 3) or SQLite executemany, with values converted the way the ORM
converts them (JSON as json.dumps text, aware datetimes as UTC, UUIDs as hex on SQLite)."""

import datetime
import json

from django.core.management.color import no_style
from django.db import models

UTC = datetime.UTC


def _sqlite_datetime(value):
    # Django's SQLite backend stores str() of the naive UTC datetime.
    return None if value is None else str(value.astimezone(UTC).replace(tzinfo=None))


def _text(value):
    return None if value is None else str(value)


def _json(value):
    return json.dumps(value)


def _uuid_hex(value):
    return value.hex


def _converter(field, vendor):
    if isinstance(field, models.JSONField):
        return _json
    if vendor != "sqlite":
        return None
    if isinstance(field, models.DateTimeField):
        return _sqlite_datetime
    if isinstance(field, models.DateField | models.TimeField):
        return _text
    if isinstance(field, models.UUIDField):
        return _uuid_hex
    return None


class BulkWriter:
    """Writes rows (tuples in the order of `columns`, attnames) to a model's table; counts rows per table."""

    def __init__(self, connection):
        self.connection = connection
        self.vendor = connection.vendor
        self.counts = {}
        self.models = []

    def next_id(self, model):
        quote, meta = self.connection.ops.quote_name, model._meta
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX({quote(meta.pk.column)}) FROM {quote(meta.db_table)}")  # noqa: S608 -- model names
            return (cursor.fetchone()[0] or 0) + 1

    def write(self, model, columns, rows):
        fields = [model._meta.get_field(name) for name in columns]
        converters = [(index, _converter(field, self.vendor)) for index, field in enumerate(fields)]
        converters = [(index, convert) for index, convert in converters if convert is not None]
        if converters:
            rows = (self._convert(row, converters) for row in rows)
        quote = self.connection.ops.quote_name
        names = [quote(field.column) for field in fields]
        table = quote(model._meta.db_table)
        written = (self._copy if self.vendor == "postgresql" else self._insert)(table, names, rows)
        self.counts[model._meta.db_table] = self.counts.get(model._meta.db_table, 0) + written
        if model not in self.models:
            self.models.append(model)
        return written

    @staticmethod
    def _convert(row, converters):
        row = list(row)
        for index, convert in converters:
            row[index] = convert(row[index])
        return row

    def _copy(self, table, names, rows):
        self.connection.ensure_connection()
        written = 0
        sql = f"COPY {table} ({', '.join(names)}) FROM STDIN"
        with self.connection.connection.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
                written += 1
        return written

    def _insert(self, table, names, rows):
        sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"  # noqa: S608 -- model names
        rows = list(rows)
        self.connection.ensure_connection()
        cursor = self.connection.connection.cursor()
        try:
            cursor.executemany(sql, rows)
        finally:
            cursor.close()
        return len(rows)

    def skip_foreign_key_triggers(self):
        """PostgreSQL only, this session only: rows go in without the per-row foreign-key trigger; check_references
        then proves every reference in one pass per foreign key. The constraints themselves stay as they are."""
        if self.vendor == "postgresql":
            with self.connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = replica")

    def check_references(self):
        """Restore the triggers and count rows whose foreign key points nowhere; raise if there are any."""
        if self.vendor != "postgresql":
            return
        with self.connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")
            for model in self.models:
                for field in model._meta.concrete_fields:
                    if field.remote_field is not None and field.db_constraint:
                        cursor.execute(_orphans_sql(self.connection.ops.quote_name, model, field))
                        orphans = cursor.fetchone()[0]
                        if orphans:
                            raise RuntimeError(f"{orphans} rows of {model._meta.db_table}.{field.column} point nowhere")

    def finish(self):
        """Move the id sequences past the written ids; on PostgreSQL also ANALYZE the written tables."""
        statements = self.connection.ops.sequence_reset_sql(no_style(), self.models)
        with self.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
            if self.vendor == "postgresql":
                for model in self.models:
                    cursor.execute(f"ANALYZE {model._meta.db_table}")


def _orphans_sql(quote, model, field):
    """Counts the rows whose non-null foreign key has no target row (an anti-join, one pass)."""
    table, column = quote(model._meta.db_table), quote(field.column)
    target, target_column = quote(field.related_model._meta.db_table), quote(field.target_field.column)
    return (
        f"SELECT COUNT(*) FROM {table} t WHERE t.{column} IS NOT NULL AND NOT EXISTS "  # noqa: S608 -- model names
        f"(SELECT 1 FROM {target} r WHERE r.{target_column} = t.{column})"
    )
