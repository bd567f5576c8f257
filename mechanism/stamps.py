"""The stamp of a page: the object's `updated_at` as the page showed it, posted back with every action so that a
write made from an older page is refused (StaleObject) instead of applied over a change its author never saw.

The page carries `updated_at.isoformat()`: microseconds and offset included, so the posted stamp is the same
instant as the stored one on SQLite and PostgreSQL alike (aware datetimes compare as instants: +08:00 and UTC
are equal). A stamp that is missing, garbled or without an offset is refused as stale, never guessed at.
"""

import datetime

from django import forms

from .services.errors import StaleObject

FIELD = "updated_at"


def stamp(obj):
    """What the page carries for `obj`."""
    return obj.updated_at.isoformat()


def parse_stamp(posted):
    """The instant a page posted (a string, or a datetime a form already parsed); StaleObject if it has none."""
    if isinstance(posted, datetime.datetime):
        value = posted
    else:
        try:
            value = datetime.datetime.fromisoformat(posted)
        except (TypeError, ValueError):
            raise StaleObject() from None
    if value.utcoffset() is None:
        raise StaleObject()
    return value


def seen_stamp(post):
    """The stamp in a POST (a form-less action); StaleObject when it is missing or garbled."""
    return parse_stamp(post.get(FIELD))


def check_stamp(obj, posted):
    """StaleObject unless `posted` is the stamp of `obj` as it is now (read it under its row lock)."""
    if parse_stamp(posted) != obj.updated_at:
        raise StaleObject()


class StampField(forms.Field):
    """The hidden stamp of a form: invalid when missing or garbled, else the instant it names."""

    widget = forms.HiddenInput

    def prepare_value(self, value):
        return value.isoformat() if isinstance(value, datetime.datetime) else value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_stamp(value)
        except StaleObject:
            raise forms.ValidationError(StaleObject().message, code="stale") from None
