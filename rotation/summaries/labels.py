"""The summary's figures in words: the labels of the codes they store, the tables the screen and the document
show, and the sentences of the document's first section. Words are added here, in the current language."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from mechanism.models import CaseSource, Funding, Need
from meetings.models import MeetingKind

from .figures import NO_UNIT

CASE_COLUMNS = ("received", "resolved", "open_at_end")


def _label(choices, code):
    return choices(code).label if code in choices.values else code


def unit_names(mechanism):
    """{unit code: full name} of every unit the mechanism ever had (one query)."""
    return dict(mechanism.units.values_list("code", "name"))


def unit_label(code, names):
    if code == NO_UNIT:
        return _("Not reported by a member unit")
    return names.get(code, code)


def need_label(code):
    return _label(Need, code)


def source_label(code):
    return _label(CaseSource, code)


def kind_label(code):
    return _label(MeetingKind, code)


def funding_label(code):
    return _label(Funding, code)


def _days(value):
    return "—" if value is None else f"{value:g}"


def key_figures(figures):
    """(label, value) pairs of the headline figures."""
    cases, handling, overdue = figures["cases"], figures["handling_days"], figures["overdue"]
    items, channels = figures["action_items"], figures["channels"]
    return [
        (_("Meetings held"), figures["meetings"]["held"]),
        (_("Cases received"), cases["received"]["count"]),
        (_("Cases resolved"), cases["resolved"]["count"]),
        (_("Cases open at the end"), cases["open_at_end"]["count"]),
        (_("Median handling time (days)"), _days(handling["median"])),
        (_("90th percentile of handling time (days)"), _days(handling["p90"])),
        (_("Assignments overdue"), overdue["count"]),
        (_("Median days overdue"), _days(overdue["median_days"])),
        (_("Most days overdue"), _days(overdue["max_days"])),
        (_("Action items done"), items["done"]),
        (_("Action items returned"), items["returned"]),
        (_("Action items open"), items["open"]),
        (_("Help channels verified"), channels["verified"]),
        (_("Help channels in all"), channels["total"]),
    ]


def _case_table(key, title, first, cases, label):
    codes = sorted({code for column in CASE_COLUMNS for code in cases[column][key]}, key=lambda c: (c == NO_UNIT, c))
    rows = [[label(code), *(cases[column][key].get(code, 0) for column in CASE_COLUMNS)] for code in codes]
    header = [first, _("Received"), _("Resolved"), _("Open at the end")]
    return {"key": key, "title": title, "header": header, "rows": rows}


def tables(figures, names):
    """The figures as tables: {key, title, header, rows}; rows hold labels and numbers."""
    cases = figures["cases"]
    meetings = figures["meetings"]["by_kind"]
    return [
        {
            "key": "meetings",
            "title": _("Meetings held by kind"),
            "header": [_("Kind of meeting"), _("Held")],
            "rows": [[kind_label(code), count] for code, count in meetings.items()],
        },
        _case_table("by_need", _("Cases by need"), _("Need"), cases, need_label),
        _case_table("by_source", _("Cases by source"), _("Source"), cases, source_label),
        _case_table(
            "by_unit", _("Cases by reporting unit"), _("Reporting unit"), cases, lambda c: unit_label(c, names)
        ),
        {
            "key": "overdue",
            "title": _("Overdue assignments by unit"),
            "header": [_("Member unit"), _("Overdue")],
            "rows": [[unit_label(code, names), count] for code, count in figures["overdue"]["by_unit"].items()],
        },
        {
            "key": "assistance",
            "title": _("Assistance given"),
            "header": [_("Funding"), _("Times"), _("People helped"), _("Amount (yuan)"), _("Help without money")],
            "rows": [
                [funding_label(code), row["records"], row["cases"], row["amount"], row["services"]]
                for code, row in figures["assistance"].items()
            ],
        },
    ]


def sentences(figures):
    """The first section of the document: the figures in a few sentences."""
    cases, handling, overdue = figures["cases"], figures["handling_days"], figures["overdue"]
    items, channels = figures["action_items"], figures["channels"]
    text = [
        _("In the period %(meetings)s joint meetings were held.") % {"meetings": figures["meetings"]["held"]},
        _("%(received)s cases were received and %(resolved)s resolved; %(open)s were still open at the end.")
        % {
            "received": cases["received"]["count"],
            "resolved": cases["resolved"]["count"],
            "open": cases["open_at_end"]["count"],
        },
    ]
    if handling["count"]:
        text.append(
            _("Half of the cases resolved took at most %(median)s days, nine in ten at most %(p90)s days.")
            % {"median": _days(handling["median"]), "p90": _days(handling["p90"])}
        )
    if overdue["count"]:
        text.append(
            _("%(count)s assignments were overdue, by %(median)s days in the middle and %(max)s days at most.")
            % {"count": overdue["count"], "median": _days(overdue["median_days"]), "max": overdue["max_days"]}
        )
    text.append(
        _("Action items from meeting decisions: %(total)s; %(done)s done, %(returned)s returned, %(open)s open.")
        % items
    )
    for code, row in figures["assistance"].items():
        text.append(
            _("%(funding)s: given %(records)s times to %(cases)s people, %(amount)s yuan in all.")
            % {**row, "funding": funding_label(code)}
        )
    text.append(
        _("%(verified)s of the %(total)s help channels were verified in the period.") % channels
        if channels["total"]
        else pgettext("summary", "No help channel is listed.")
    )
    return text
