"""A member unit's batch of cases from a CSV file (docs/case-import.md), all or nothing.

Every row goes through the intake service, so the file obeys the same rules as the admin form.
The rows are parsed first, then reported one by one inside a single transaction; any problem in
any row (or a suspected duplicate that is not confirmed) rolls the whole file back and names the
line and column of each problem.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import personal
from .filing import HOUSEHOLD_CATEGORY_TERMS, NEED_TERMS, SHANGHAI
from .models import Area, CaseSource, ConsentMethod, HouseholdCategory, Urgency
from .services.errors import ActionRefused, DuplicateSuspected
from .services.intake import CaseReport, report_case

# Headers and terms of the file format: the Chinese ones are what units type, so they live here.
HEADERS = {
    "person_name": ("姓名", "name", "person_name"),
    "id_number": ("身份证号", "身份证号码", "id_number"),
    "phone": ("电话", "联系电话", "phone"),
    "address": ("地址", "address"),
    "area_code": ("区划代码", "area_code"),
    "household_category": ("家庭类别", "household_category"),
    "needs": ("需求", "needs"),
    "urgency": ("紧急程度", "urgency"),
    "narrative": ("情况", "narrative"),
    "consent": ("同意共享", "consent"),
    "consent_by": ("同意人", "consent_by"),
    "consent_method": ("同意方式", "consent_method"),
    "consent_date": ("同意日期", "consent_date"),
}
REQUIRED = ("person_name", "area_code", "needs")
URGENCY_TERMS = {Urgency.NORMAL: "一般", Urgency.URGENT: "紧急", Urgency.EMERGENCY: "特急"}
CONSENT_METHOD_TERMS = {
    ConsentMethod.SIGNED_FORM: "书面签字",
    ConsentMethod.VERBAL_WITNESSED: "口头有见证人",
    ConsentMethod.ONLINE: "线上",
}
YES = {"是", "yes", "y", "true", "1"}
NO = {"否", "no", "n", "false", "0", ""}
NEED_SPLIT = re.compile(r"[、;；]")
# Errors of the intake service are keyed by CaseReport field; these name the column that fed them.
SERVICE_FIELD_COLUMNS = {"area": "area_code"}


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    message: str
    duplicate: bool = False  # a duplicate warning: confirming it would let the row through

    def __str__(self):
        if self.column:
            return _("line %(line)d, %(column)s: %(message)s") % {
                "line": self.line,
                "column": self.column,
                "message": self.message,
            }
        return _("line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


class ImportRefused(Exception):
    """The file was not imported; nothing changed. `problems` name the line and column of each."""

    def __init__(self, problems):
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass
class ImportResult:
    cases: list = field(default_factory=list)
    warnings: list = field(default_factory=list)  # Problem for each duplicate warning that was confirmed
    dry_run: bool = False


def import_cases(data, mechanism, unit, by=None, confirm_duplicates=False, dry_run=False):
    """Report every row of the CSV bytes as a case from `unit`; returns an ImportResult or raises ImportRefused.

    `by=None` is the system (the management command). With dry_run everything is checked, nothing kept.
    """
    text = _decode(data)
    header, rows = _read(text)
    problems = []
    reports = []
    areas = Area.objects.in_bulk(
        {cells.get("area_code", "").strip() for _line, cells in rows} - {""}, field_name="code"
    )
    for line, cells in rows:
        report = _report(line, cells, header, areas, unit, problems)
        if report is not None:
            reports.append((line, report))
    result = ImportResult(dry_run=dry_run)
    with transaction.atomic():
        for line, report in reports:
            case = _report_one(mechanism, line, report, header, by, confirm_duplicates, problems, result)
            if case is not None:
                result.cases.append(case)
        if problems:
            raise ImportRefused(sorted(problems, key=lambda problem: problem.line))
        if dry_run:
            transaction.set_rollback(True)
    return result


def _decode(data):
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportRefused(
            [Problem(line, "", _("the file is not UTF-8; save it as “CSV UTF-8” and try again."))]
        ) from None


def _read(text):
    """The header (field -> column as written) and the non-blank rows as (line, {field: text})."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        names = next(reader)
    except (StopIteration, csv.Error):
        raise ImportRefused([Problem(1, "", _("the file has no header row."))]) from None
    header = _header(names)
    rows, problems, last = [], [], reader.line_num
    try:
        for cells in reader:
            line, last = last + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(names):
                problems.append(
                    Problem(
                        line,
                        "",
                        _("%(count)d cells, but the header has %(columns)d columns.")
                        % {"count": len(cells), "columns": len(names)},
                    )
                )
                continue
            rows.append((line, {key: cells[index] for index, key in enumerate(header.order) if index < len(cells)}))
    except csv.Error as error:
        problems.append(Problem(last + 1, "", _("the CSV cannot be read: %(error)s") % {"error": error}))
    if problems:
        raise ImportRefused(problems)
    if not rows:
        raise ImportRefused([Problem(1, "", _("the file has no cases below its header."))])
    return header, rows


@dataclass
class _Header:
    order: list  # the field of each column, by position
    columns: dict  # field -> the header as written in the file

    def name(self, key):
        return self.columns.get(key) or HEADERS[key][0]


def _header(names):
    known = {alias.lower(): key for key, aliases in HEADERS.items() for alias in aliases}
    order, columns, problems = [], {}, []
    for name in names:
        written = name.strip()
        key = known.get(written.lower())
        if key is None:
            problems.append(Problem(1, written, _("unknown column; see docs/case-import.md for the columns.")))
        elif key in columns:
            problems.append(
                Problem(1, written, _("this column is already given as %(other)s.") % {"other": columns[key]})
            )
        else:
            columns[key] = written
        order.append(key)
    for key in REQUIRED:
        if key not in columns:
            problems.append(Problem(1, HEADERS[key][0], _("this column is required.")))
    if problems:
        raise ImportRefused(problems)
    return _Header(order, columns)


def _report(line, cells, header, areas, unit, problems):
    """A CaseReport from one row, or None after adding the row's problems."""
    found = []

    def value(key):
        return (cells.get(key) or "").strip()

    def choice(key, terms, default):
        raw = value(key)
        if not raw:
            return default
        chosen = _lookup(raw, terms)
        if chosen is None:
            found.append(Problem(line, header.name(key), _accepted(raw, terms)))
        return chosen

    area = areas.get(value("area_code"))
    if area is None:
        found.append(
            Problem(
                line, header.name("area_code"), _("“%(code)s” is not a known area code.") % {"code": value("area_code")}
            )
        )
    needs = []
    for raw in filter(None, (part.strip() for part in NEED_SPLIT.split(value("needs")))):
        need = _lookup(raw, NEED_TERMS)
        if need is None:
            found.append(Problem(line, header.name("needs"), _accepted(raw, NEED_TERMS)))
        needs.append(need)
    consent = _consent(value("consent"))
    if consent is None:
        found.append(Problem(line, header.name("consent"), _("write yes or no.")))
    if not consent and (value("consent_by") or value("consent_method") or value("consent_date")):
        found.append(
            Problem(
                line, header.name("consent"), _("consent to share is not given, yet who, how or when is filled in.")
            )
        )
    report = CaseReport(
        person_name=value("person_name"),
        area=area,
        needs=needs,
        source=CaseSource.MEMBER_UNIT,
        source_unit=unit,
        id_number=value("id_number"),
        phone=value("phone"),
        address=value("address"),
        household_category=choice("household_category", HOUSEHOLD_CATEGORY_TERMS, HouseholdCategory.NONE),
        urgency=choice("urgency", URGENCY_TERMS, Urgency.NORMAL),
        narrative=value("narrative"),
        consent_given=bool(consent),
        consent_by=value("consent_by"),
        consent_method=choice("consent_method", CONSENT_METHOD_TERMS, ""),
        consent_at=_consent_at(line, value("consent_date"), header, found),
    )
    if found:
        # The row stops here, before the intake service: check its personal fields now so that every
        # problem of the file is told at once.
        found += _personal_problems(line, report, header)
    problems.extend(found)
    return None if found else report


def _personal_problems(line, report, header):
    found = []
    for key, normalize in (("id_number", personal.normalize_id_number), ("phone", personal.normalize_phone)):
        raw = getattr(report, key)
        try:
            if raw:
                normalize(raw)
        except ValidationError as error:
            found += [Problem(line, header.name(key), message) for message in error.messages]
    return found


def _lookup(raw, terms):
    """The code for a term or a code (codes in any case); None when it is neither."""
    for code, term in terms.items():
        if raw == term or raw.lower() == code:
            return code
    return None


def _accepted(raw, terms):
    return _("“%(value)s” is not one of: %(terms)s (or the codes %(codes)s).") % {
        "value": raw,
        "terms": "、".join(terms.values()),
        "codes": ", ".join(terms),
    }


def _consent(raw):
    raw = raw.lower()
    if raw in YES:
        return True
    if raw in NO:
        return False
    return None


def _consent_at(line, raw, header, found):
    if not raw:
        return None
    try:
        day = datetime.date.fromisoformat(raw)
    except ValueError:
        day = None
    if day is None or day > timezone.localdate():
        found.append(
            Problem(
                line,
                header.name("consent_date"),
                _("give the day consent was given as YYYY-MM-DD, not later than today."),
            )
        )
        return None
    return datetime.datetime.combine(day, datetime.time(), tzinfo=SHANGHAI)


def _report_one(mechanism, line, report, header, by, confirm_duplicates, problems, result):
    """Report one row; problems and confirmed duplicate warnings are collected, the case returned."""
    try:
        try:
            return report_case(mechanism, report, by=by)
        except DuplicateSuspected as suspected:
            if not confirm_duplicates:
                raise
            result.warnings += [
                Problem(line, "", _("possible duplicate, confirmed: %(warning)s") % {"warning": w.text}, duplicate=True)
                for w in suspected.warnings
            ]
            return report_case(mechanism, report, by=by, confirmed=True)
    except ValidationError as error:
        for key, messages in error.message_dict.items():
            column = header.name(SERVICE_FIELD_COLUMNS.get(key, key)) if _is_column(key) else ""
            problems += [Problem(line, column, message) for message in messages]
    except DuplicateSuspected as suspected:
        problems += [
            Problem(line, "", _("possible duplicate: %(warning)s") % {"warning": warning.text}, duplicate=True)
            for warning in suspected.warnings
        ]
    except ActionRefused as refused:
        problems.append(Problem(line, "", str(refused)))
    return None


def _is_column(key):
    return SERVICE_FIELD_COLUMNS.get(key, key) in HEADERS
