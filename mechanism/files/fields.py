"""Typed reading of values from a LineDict; every refusal names the line."""

import datetime
import re
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

from .yaml_lines import FileError, LineDict

_MISSING = object()


def mapping(parent, key, required=True):
    value = parent.get(key, _MISSING)
    if value is _MISSING or value is None:
        if required:
            raise FileError(parent.line, _("%(key)s is missing") % {"key": key})
        return None
    if not isinstance(value, LineDict):
        raise FileError(parent.line_of(key), _("%(key)s must be a mapping") % {"key": key})
    return value


def sequence(parent, key):
    value = parent.get(key) or []
    if not isinstance(value, list) or not all(isinstance(item, LineDict) for item in value):
        raise FileError(parent.line_of(key), _("%(key)s must be a list of mappings") % {"key": key})
    return value


def check_keys(item, allowed):
    for key in item:
        if key not in allowed:
            raise FileError(item.line_of(key), _("unknown key %(key)s") % {"key": key})


def text(item, key, required=True, default=""):
    value = item.get(key)
    if value is None or value == "":
        if required:
            raise FileError(item.line, _("%(key)s is missing") % {"key": key})
        return default
    if isinstance(value, (dict, list)):
        raise FileError(item.line_of(key), _("%(key)s must be text") % {"key": key})
    return str(value).strip()


def area_code(item, key, required=True):
    value = item.get(key)
    if value is None:
        if required:
            raise FileError(item.line, _("%(key)s is missing") % {"key": key})
        return None
    code = str(value).strip()
    if not re.fullmatch(r"[1-9]\d{5}", code):
        raise FileError(item.line_of(key), _("%(value)s is not a six-digit area code") % {"value": code})
    return code


def choice(item, key, choices, default=None):
    value = item.get(key, default)
    if value not in choices.values:
        allowed = ", ".join(choices.values)
        raise FileError(
            item.line_of(key),
            _("%(key)s must be one of %(allowed)s, not %(value)s") % {"key": key, "allowed": allowed, "value": value},
        )
    return value


def boolean(item, key, default=False):
    value = item.get(key, default)
    if not isinstance(value, bool):
        raise FileError(item.line_of(key), _("%(key)s must be true or false") % {"key": key})
    return value


def date(item, key, required=True):
    value = item.get(key)
    if value is None:
        if required:
            raise FileError(item.line, _("%(key)s is missing") % {"key": key})
        return None
    if isinstance(value, datetime.datetime) or not isinstance(value, (datetime.date, str)):
        raise FileError(item.line_of(key), _("%(key)s must be a date like 2024-01-01") % {"key": key})
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value.strip())
        except ValueError:
            raise FileError(item.line_of(key), _("%(key)s must be a date like 2024-01-01") % {"key": key}) from None
    return value


def moment(item, key, required=True):
    """An aware datetime; a bare date means midnight in Asia/Shanghai."""
    value = item.get(key)
    if value is None:
        if required:
            raise FileError(item.line, _("%(key)s is missing") % {"key": key})
        return None
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value.strip())
        except ValueError:
            value = None
    elif isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time(), tzinfo=ZoneInfo(settings.TIME_ZONE))
    if not isinstance(value, datetime.datetime) or value.tzinfo is None:
        raise FileError(
            item.line_of(key),
            _("%(key)s must be a date, or a time with its offset like 2024-01-01T00:00:00+08:00") % {"key": key},
        )
    return value


def integer(item, key, default=0):
    value = item.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise FileError(item.line_of(key), _("%(key)s must be a whole number, 0 or more") % {"key": key})
    return value


_TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


def time_of_day(item, key):
    """A time of day written "08:30"; None when the key is absent."""
    value = item.get(key)
    if value is None:
        return None
    match = _TIME.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise FileError(item.line_of(key), _('%(key)s must be a time like "08:30"') % {"key": key})
    return datetime.time(int(match[1]), int(match[2]))


def text_list(item, key):
    value = item.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or any(isinstance(entry, (dict, list)) or entry is None for entry in value):
        raise FileError(item.line_of(key), _("%(key)s must be a list") % {"key": key})
    return [str(entry).strip() for entry in value]


def choice_list(item, key, choices):
    """Values of a TextChoices, in the file's order, each once."""
    values = []
    for value in text_list(item, key):
        if value not in choices.values:
            allowed = ", ".join(choices.values)
            raise FileError(
                item.line_of(key),
                _("%(key)s must be one of %(allowed)s, not %(value)s")
                % {"key": key, "allowed": allowed, "value": value},
            )
        if value not in values:
            values.append(value)
    return values


def area_codes(item, key):
    codes = []
    for code in text_list(item, key):
        if not re.fullmatch(r"[1-9]\d{5}", code):
            raise FileError(item.line_of(key), _("%(value)s is not a six-digit area code") % {"value": code})
        if code not in codes:
            codes.append(code)
    return codes
