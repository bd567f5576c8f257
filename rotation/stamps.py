"""The page's copy of an object's `updated_at`, posted back with every action on a handover or a summary so
that the service can refuse a write made from an older page (StaleObject) under its row lock."""

import datetime

from mechanism.services.errors import StaleObject


def seen_updated_at(post):
    """The `updated_at` the page showed; StaleObject when it is missing or garbled."""
    try:
        return datetime.datetime.fromisoformat(post.get("updated_at", ""))
    except (TypeError, ValueError):
        raise StaleObject() from None
