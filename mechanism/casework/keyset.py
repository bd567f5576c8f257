"""Keyset pagination for the long casework lists: the next page starts after the last row shown, not at an offset.

An offset makes the database read and throw away every row before the page, and a page count needs count(*) over
the whole filtered list; over millions of cases both grow with the list. Here a page is one query that seeks
through the ordering's index to the last row shown (`?after=` holds that row's sort values), and the count stops
at COUNT_CAP: the list shows "312 in all" or "more than 1,000", never a number that costs a full scan.

The queryset's ordering must be plain non-null fields ending with the primary key, so that it is total: rows
with equal leading values (the same reported_at) are told apart by pk and none is skipped or shown twice.
A cursor that does not decode, or that does not fit the ordering, gives the first page: it is only a position in
a list the user may see anyway, so a forged one can show nothing the filters and the user's scope do not.
"""

import base64
import datetime
import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q

PAGE_SIZE = 50
COUNT_CAP = 1000
CURSOR_PARAMETER = "after"


@dataclass(frozen=True)
class Key:
    """One column of the ordering: its field name on the model and whether it sorts descending."""

    name: str
    descending: bool

    def value(self, row):
        return getattr(row, self.name)

    def beyond(self, value):
        """The lookup for rows after `value` in this column's direction."""
        return {f"{self.name}__{'lt' if self.descending else 'gt'}": value}


def ordering_keys(queryset):
    """The Keys of a queryset's order_by; refuses an ordering that is not total or not plain fields."""
    names = list(queryset.query.order_by)
    if not names or names[-1] not in ("pk", "-pk"):
        raise ValueError(f"keyset pagination needs an ordering ending with pk, not {names}")
    keys = [Key(name.lstrip("-"), name.startswith("-")) for name in names]
    for key in keys[:-1]:
        queryset.model._meta.get_field(key.name)  # FieldDoesNotExist for an annotation or a relation path
    return keys


def field_of(model, key):
    return model._meta.pk if key.name == "pk" else model._meta.get_field(key.name)


def encode(keys, row):
    """The cursor for the position just after `row`: its sort values as URL-safe base64 of a JSON list."""
    values = [key.value(row) for key in keys]
    text = json.dumps([value.isoformat() if hasattr(value, "isoformat") else value for value in values])
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode(model, keys, cursor):
    """The sort values a cursor holds, converted by the model's fields; None when it is absent or not valid."""
    if not cursor:
        return None
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(raw, list) or len(raw) != len(keys) or not all(isinstance(v, str | int) for v in raw):
            return None
        values = [field_of(model, key).to_python(value) for key, value in zip(keys, raw, strict=True)]
    except (ValueError, TypeError, ValidationError):  # bad base64, JSON, text or value
        return None
    return values if all(map(fits, values)) else None


def fits(value):
    """Whether a decoded value can be compared in SQL: not None, an aware datetime, a 64-bit integer."""
    if isinstance(value, datetime.datetime):
        return value.tzinfo is not None
    if isinstance(value, int):
        return -(2**63) <= value < 2**63  # SQLite refuses larger integers with an OverflowError
    return value is not None


def after(keys, values):
    """Rows strictly after `values` in the ordering: (k1 beyond v1) or (k1 = v1 and k2 beyond v2) or ...

    The first column is also bounded inclusively on its own, so the database can seek its index there.
    """
    first = keys[0]
    condition = Q(**{f"{first.name}__{'lte' if first.descending else 'gte'}": values[0]})
    alternatives, equal = Q(), {}
    for key, value in zip(keys, values, strict=True):
        alternatives |= Q(**equal, **key.beyond(value))
        equal[key.name] = value
    return condition & alternatives


@dataclass
class KeysetPage:
    """One page of rows with the cursors around it; iterating it gives the rows, as a Paginator page does."""

    object_list: list
    next_cursor: str | None
    is_first: bool
    count: int  # the whole filtered list's size, counted only up to cap + 1
    cap: int

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    @property
    def count_capped(self):
        return self.count > self.cap

    @property
    def has_other_pages(self):
        return bool(self.next_cursor) or not self.is_first


def capped_count(queryset, cap):
    """How many rows, counting no further than cap + 1: SELECT COUNT(*) FROM (SELECT pk ... LIMIT cap + 1)."""
    return queryset.order_by().values("pk")[: cap + 1].count()


def paginate(request, queryset, size=None):
    """The page of an ordered queryset that the request's `?after=` cursor points at (the first page without one).

    Two queries whatever the page: the capped count and the page itself (plus the queryset's own prefetches).
    """
    size = size or PAGE_SIZE
    keys = ordering_keys(queryset)
    values = decode(queryset.model, keys, request.GET.get(CURSOR_PARAMETER))
    cap = COUNT_CAP
    count = capped_count(queryset, cap)
    rows = queryset.filter(after(keys, values)) if values else queryset
    rows = list(rows[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    next_cursor = encode(keys, rows[-1]) if more else None
    return KeysetPage(object_list=rows, next_cursor=next_cursor, is_first=values is None, count=count, cap=cap)
