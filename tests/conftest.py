"""Fixtures for the whole suite."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """The cache outlives each test's rollback: public pages and rate-limit counters start empty."""
    cache.clear()
    yield
