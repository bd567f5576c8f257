"""Fixtures for the whole suite."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """The cache outlives each test's rollback: public pages and rate-limit counters start empty."""
    cache.clear()
    yield


def pytest_terminal_summary(terminalreporter):
    """The guarantees measured in this run (tests/guarantees.py): crawled URLs and leaks, stale writes, jobs, fuzz."""
    from tests import guarantees

    lines = guarantees.summary_lines()
    if not lines:
        return
    from django.db import connection

    title = f"guarantees measured in this run ({connection.vendor})"
    terminalreporter.section(title)
    for line in lines:
        terminalreporter.write_line(line)
    # `make test` prints both runs' summaries again at its very end.
    from django.conf import settings

    path = settings.VAR_DIR / f"guarantees-{connection.vendor}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([f"== {title} ==", *lines]) + "\n", encoding="utf-8")
