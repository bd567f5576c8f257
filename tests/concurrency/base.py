"""Two sessions act on the same object: the second is told it changed, and nothing of the first is lost.

Each test opens the object's page in two logged-in sessions, reads the form each page carries (with its stamp:
the hidden state, revision, `updated_at`), then posts both acts. `sequential` posts B after A has committed,
from the page read before A's change, on either database. `race` posts both at once from two threads, each with its
own database connection, released together by a barrier so that they meet at the row lock; PostgreSQL only
(SQLite has no row locks: one writer waits for the whole database, and the in-memory test database is shared
by the threads' connections through one cache, which raises "table is locked" instead of waiting).
"""

import threading

from django.contrib.messages import get_messages
from django.contrib.messages.constants import ERROR, SUCCESS
from django.db import connection
from django.test import Client, TransactionTestCase

from mechanism.models import Role
from tests import guarantees
from tests.base import CastTestCase
from tests.fuzz.forms import post_forms

TIMEOUT = 30  # seconds: a regression that deadlocks fails instead of hanging
STALE = "Someone else changed this in the meantime. Reload the page and try again."


def page_stamp(response, action_url, action=None, **match):
    """What the page's form posting to `action_url` (and naming `action` and the `match` values, if given) would
    post, its stamp among it (state, revision, `updated_at`), without the CSRF token (the test client does not
    check it). The forms are read as tests/fuzz reads them: every field with the value it starts with."""
    if action is not None:
        match["action"] = action
    assert response.status_code == 200, response.status_code
    for form in post_forms(response.content.decode(), response.wsgi_request.path):
        payload = form.payload
        if form.action == action_url and all(payload.get(name) == [str(value)] for name, value in match.items()):
            return {name: values for name, values in payload.items() if name != "csrfmiddlewaretoken"}
    raise AssertionError(f"no form posting to {action_url} ({match}) on the page")


def outcome(response):
    """The outcome: "done" (a success message), "stale" (the stale message), or else the messages shown."""
    # never a 500; the summary's narrative form comes back with what was typed (400) when refused
    assert response.status_code in (200, 302, 400), response.status_code
    shown = [(message.level, str(message)) for message in get_messages(response.wsgi_request)]
    if (ERROR, STALE) in shown:
        return "stale"
    if any(level == SUCCESS for level, _text in shown) and not any(level == ERROR for level, _text in shown):
        return "done"
    return shown


class TwoSessionsCase(TransactionTestCase):
    """The standard cast on committed rows (other connections see them) and two sessions per test."""

    member = CastTestCase.__dict__["member"]

    def setUp(self):
        CastTestCase.__dict__["setUpTestData"].__func__(type(self))
        type(self).secretariat2 = self.member("secretariat2", self.mz, Role.SECRETARIAT)

    def session(self, user):
        client = Client(headers={"accept-language": "en"})
        client.force_login(user)
        return client

    def sequential(self, first, second):
        """A's act, then B's from the page B read before A's change: A done, B told the object changed."""
        results = [outcome(first()), outcome(second())]
        self.assertEqual(results, ["done", "stale"])
        return 0

    def race(self, *posts):
        """The acts at once, each in its own thread and connection; exactly one is done, the others are stale.

        Returns the index of the act that was done."""
        if connection.vendor != "postgresql":
            self.skipTest("two writers racing for a row lock need PostgreSQL (SQLite locks the whole database)")
        barrier = threading.Barrier(len(posts), timeout=TIMEOUT)
        results = [None] * len(posts)

        def run(index, post):
            try:
                barrier.wait()
                results[index] = post()
            except Exception as error:  # noqa: BLE001 (re-raised below, not lost in the thread)
                results[index] = error
            finally:
                connection.close()  # this thread's own connection

        threads = [threading.Thread(target=run, args=(i, post)) for i, post in enumerate(posts)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(TIMEOUT)
        self.assertFalse(any(thread.is_alive() for thread in threads), "an act hung")
        for result in results:
            if isinstance(result, Exception):
                raise result
        outcomes = [outcome(response) for response in results]
        self.assertEqual(sorted(map(str, outcomes)), ["done", *["stale"] * (len(posts) - 1)], outcomes)
        return outcomes.index("done")

    def counted(self, subject, tried=1):
        """Add the figures once the test's assertions have passed: the winner's write was kept."""
        guarantees.add("stale writes", "tried", tried, subject=subject)
        guarantees.add("stale writes", "lost", 0, subject=subject)
