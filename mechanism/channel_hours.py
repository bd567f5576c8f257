"""Service hours of a help channel in words: 24小时; 周一至周五 08:30–17:30，法定节假日除外."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext


def _day_names():
    return {
        1: pgettext("weekday", "Mon"),
        2: pgettext("weekday", "Tue"),
        3: pgettext("weekday", "Wed"),
        4: pgettext("weekday", "Thu"),
        5: pgettext("weekday", "Fri"),
        6: pgettext("weekday", "Sat"),
        7: pgettext("weekday", "Sun"),
    }


def _runs(days):
    """Consecutive runs of day numbers: [1,2,3,5] -> [(1,3), (5,5)]."""
    runs = []
    for day in sorted(set(days)):
        if runs and day == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def describe_days(days):
    days = sorted(set(days or []))
    if not days:
        return ""
    if days == list(range(1, 8)):
        return _("Every day")
    names = _day_names()
    parts = []
    for first, last in _runs(days):
        if last - first >= 2:
            parts.append(_("%(first)s to %(last)s") % {"first": names[first], "last": names[last]})
        else:
            parts.extend(names[day] for day in range(first, last + 1))
    return _(", ").join(parts)


def describe_hours(channel):
    parts = []
    if channel.open_24_hours:
        parts.append(_("Open 24 hours"))
    else:
        days = describe_days(channel.days)
        if channel.opens_at and channel.closes_at:
            times = f"{channel.opens_at:%H:%M}–{channel.closes_at:%H:%M}"
            parts.append(f"{days} {times}".strip())
        elif days:
            parts.append(days)
    if channel.hours_note:
        parts.append(channel.hours_note)
    return _(", ").join(parts)
