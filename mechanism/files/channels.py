"""Help channels and brand projects under a unit in the mechanism file: read from YAML, written back."""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import ChannelKind, Need, ServedGroup
from ..models.channels import NORMALIZERS
from . import fields as f
from .yaml_lines import FileError

CHANNEL_KEYS = {"kind", "value", "description", "hours", "areas", "groups", "needs", "public", "order", "verified_on"}
HOURS_KEYS = {"24h", "days", "opens", "closes", "note"}
PROJECT_KEYS = {"name", "summary", "url", "order"}
DAY_NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

# Model field -> file key: a refusal by the model's own validation points at the line of that key.
CHANNEL_FIELD_KEYS = {
    "value": "value",
    "description": "description",
    "open_24_hours": "hours",
    "days": "hours",
    "opens_at": "hours",
    "closes_at": "hours",
    "hours_note": "hours",
    "groups": "groups",
    "needs": "needs",
    "display_order": "order",
    "last_verified_on": "verified_on",
}
PROJECT_FIELD_KEYS = {"name": "name", "summary": "summary", "url": "url", "display_order": "order"}


@dataclass
class ChannelRow:
    kind: str
    value: str
    values: dict
    area_codes: list
    lines: dict


def field_lines(item, field_keys):
    return {name: item.line_of(key) for name, key in field_keys.items()}


def read_channel(item):
    """A channel of the file, its value normalised as the model stores it (so it can be matched)."""
    f.check_keys(item, CHANNEL_KEYS)
    kind = f.choice(item, "kind", ChannelKind)
    try:
        value = NORMALIZERS[kind](f.text(item, "value"))
    except ValidationError as error:
        raise FileError(item.line_of("value"), " ".join(error.messages)) from None
    values = {
        "description": f.text(item, "description", required=False),
        **read_hours(item),
        "groups": f.choice_list(item, "groups", ServedGroup),
        "needs": f.choice_list(item, "needs", Need),
        "is_public": f.boolean(item, "public", default=True),
        "display_order": f.integer(item, "order"),
        "last_verified_on": f.date(item, "verified_on", required=False),
    }
    return ChannelRow(kind, value, values, f.area_codes(item, "areas"), field_lines(item, CHANNEL_FIELD_KEYS))


def read_hours(item):
    hours = f.mapping(item, "hours", required=False)
    if hours is None:
        return {"open_24_hours": False, "days": [], "opens_at": None, "closes_at": None, "hours_note": ""}
    f.check_keys(hours, HOURS_KEYS)
    all_day = f.boolean(hours, "24h")
    days = read_days(hours, "days")
    opens_at, closes_at = f.time_of_day(hours, "opens"), f.time_of_day(hours, "closes")
    if all_day and (days or opens_at or closes_at):
        raise FileError(hours.line, _("a channel open 24 hours has no days, opening or closing times"))
    note = f.text(hours, "note", required=False)
    return {"open_24_hours": all_day, "days": days, "opens_at": opens_at, "closes_at": closes_at, "hours_note": note}


def read_days(item, key):
    """Days as a list of numbers 1 (Monday) to 7, or in words: "mon-fri", "mon-fri, sun"."""
    value = item.get(key)
    if value is None:
        return []
    if isinstance(value, list) and all(type(day) is int and 1 <= day <= 7 for day in value):
        return sorted(set(value))
    days = _parse_day_words(value) if isinstance(value, str) else None
    if not days:
        raise FileError(
            item.line_of(key),
            _(
                "%(key)s must be written like mon-fri or mon-fri, sun, "
                "or as a list of numbers from 1 (Monday) to 7 (Sunday)"
            )
            % {"key": key},
        )
    return days


def _parse_day_words(value):
    days = set()
    for part in value.lower().split(","):
        match = re.fullmatch(r"\s*([a-z]{3})\s*(?:-\s*([a-z]{3})\s*)?", part)
        if match is None or match[1] not in DAY_NAMES or (match[2] or match[1]) not in DAY_NAMES:
            return None
        first, last = DAY_NAMES.index(match[1]) + 1, DAY_NAMES.index(match[2] or match[1]) + 1
        if last < first:
            return None
        days.update(range(first, last + 1))
    return sorted(days)


def days_text(days):
    """The words read_days reads: [1, 2, 3, 4, 5, 7] -> "mon-fri, sun"."""
    runs = []
    for day in sorted(set(days)):
        if runs and day == runs[-1][1] + 1:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return ", ".join(
        DAY_NAMES[first - 1] if first == last else f"{DAY_NAMES[first - 1]}-{DAY_NAMES[last - 1]}"
        for first, last in runs
    )


def read_project(item):
    f.check_keys(item, PROJECT_KEYS)
    values = {
        "summary": f.text(item, "summary", required=False),
        "url": f.text(item, "url", required=False),
        "display_order": f.integer(item, "order"),
    }
    return f.text(item, "name"), values, field_lines(item, PROJECT_FIELD_KEYS)


def _hours_document(channel):
    if channel.open_24_hours:
        hours = {"24h": True}
    else:
        hours = {
            "days": days_text(channel.days) if channel.days else None,
            "opens": f"{channel.opens_at:%H:%M}" if channel.opens_at else None,
            "closes": f"{channel.closes_at:%H:%M}" if channel.closes_at else None,
        }
    hours["note"] = channel.hours_note
    return {key: value for key, value in hours.items() if value} or None


def channel_document(channel):
    document = {
        "kind": channel.kind,
        "value": channel.display_value,
        "description": channel.description,
        "hours": _hours_document(channel),
        "areas": sorted(area.code for area in channel.areas.all()),
        "groups": channel.groups,
        "needs": channel.needs,
        "public": channel.is_public,
        "order": channel.display_order,
        "verified_on": channel.last_verified_on,
    }
    optional = ("description", "hours", "areas", "groups", "needs", "verified_on")
    return {key: value for key, value in document.items() if key not in optional or value}


def project_document(project):
    document = {"name": project.name, "summary": project.summary, "url": project.url, "order": project.display_order}
    return {key: value for key, value in document.items() if key == "order" or value}
