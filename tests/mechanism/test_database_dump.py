"""A raw dump of the database holds no plaintext ID number or phone: every column of every table is read
as text (SQLite: the connection's iterdump; PostgreSQL: every row of every table cast to text)."""

import re

from django.db import connection

from tests.base import CastTestCase
from tests.casework import make_case, resident_id

ID_NUMBER = resident_id(serial="779")
PHONE = "13612345670"


def dump_text():
    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump())
    # PostgreSQL: pg_dump would not see the rows of the test's open transaction; read them on this connection.
    lines = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT t::text FROM {connection.ops.quote_name(table)} AS t")
            lines += [row[0] for row in cursor.fetchall()]
    return "\n".join(lines)


class DatabaseDumpTest(CastTestCase):
    def test_the_dump_has_no_plaintext_id_number_or_phone(self):
        case = make_case(self.province, id_number=ID_NUMBER, phone=PHONE)
        self.assertEqual(case.id_number, ID_NUMBER)  # the service stored it, readable through the model
        dump = dump_text()
        self.assertIn(case.reference, dump)  # the dump does hold the case's row
        squeezed = re.sub(r"\D", "", dump)
        for secret in (ID_NUMBER, PHONE):
            self.assertNotIn(secret, dump)
            self.assertNotIn(re.sub(r"\D", "", secret)[:17], squeezed)
