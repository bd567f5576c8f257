"""Filing records for the national low-income population monitoring platform (低收入人口动态监测信息平台).

The cases a mechanism resolved or closed in a period, one row each, written as CSV or XLSX
(docs/filing-export.md). ID numbers are masked unless the caller has the right and gives a reason;
each export with full ID numbers is written to the personal-data access log.
"""

import csv
import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from . import access
from .models import (
    AccessKind,
    Assignment,
    AssignmentState,
    AssistanceKind,
    AssistanceRecord,
    Case,
    CaseState,
    Funding,
    HouseholdCategory,
    Need,
    PersonalDataAccess,
)
from .personal import mask_id_number
from .services.errors import ActionRefused

SHANGHAI = ZoneInfo("Asia/Shanghai")
FILED_STATES = [CaseState.RESOLVED, CaseState.CLOSED]
CHUNK = 1000

# The platform reads these headers and terms in Chinese whatever the exporter's language, so they are
# part of the file format (like a document template), not interface text to translate.
COLUMNS = [
    ("reference", "个案编号", 16),
    ("person_name", "姓名", 12),
    ("id_number", "身份证号码", 22),
    ("area_code", "行政区划代码", 14),
    ("area_name", "行政区划名称", 18),
    ("household_category", "家庭类别", 14),
    ("needs", "救助需求", 24),
    ("assistance", "救助帮扶情况", 60),
    ("total_amount", "救助金额合计（元）", 18),
    ("units", "参与帮扶单位", 36),
    ("resolved_on", "办结日期", 12),
]
HOUSEHOLD_CATEGORY_TERMS = {
    HouseholdCategory.DIBAO: "低保",
    HouseholdCategory.TEKUN: "特困",
    HouseholdCategory.DIBAO_EDGE: "低保边缘",
    HouseholdCategory.RELAPSE_WATCH: "防止返贫监测",
    HouseholdCategory.RIGID_EXPENSE: "刚性支出困难",
    HouseholdCategory.NONE: "无",
}
NEED_TERMS = {
    Need.BASIC_LIVING: "基本生活",
    Need.MEDICAL: "医疗",
    Need.EDUCATION: "教育",
    Need.HOUSING: "住房",
    Need.EMPLOYMENT: "就业",
    Need.DISABILITY: "残疾康复",
    Need.CARE: "照护探访",
    Need.PSYCHOLOGICAL: "心理支持",
    Need.EMERGENCY: "急难",
}
ASSISTANCE_KIND_TERMS = {
    AssistanceKind.CASH: "现金",
    AssistanceKind.IN_KIND: "实物",
    AssistanceKind.SERVICE: "服务",
    AssistanceKind.MEDICAL: "医疗救助",
    AssistanceKind.EDUCATION: "教育救助",
    AssistanceKind.HOUSING: "住房救助",
    AssistanceKind.OTHER: "其他",
}
FUNDING_TERMS = {Funding.GOVERNMENT: "政府救助", Funding.CHARITY: "慈善帮扶"}
LIST_SEPARATOR = "、"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def may_export_full_ids(user, mechanism):
    """Full ID numbers go only to the mechanism's secretariat and to superusers."""
    if user is None or not user.is_active:
        return False
    return user.is_superuser or access.managed_mechanisms(user).filter(pk=mechanism.pk).exists()


def period_bounds(start, end):
    """Aware datetimes [start 00:00, the day after end 00:00) in Asia/Shanghai."""
    begin = datetime.datetime.combine(start, datetime.time(), tzinfo=SHANGHAI)
    stop = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(), tzinfo=SHANGHAI)
    return begin, stop


def filing_cases(user, mechanism, start, end):
    """Resolved or closed cases of the mechanism the user may see, resolved between the two dates (inclusive).

    `user=None` is the system (the management command). A case escalated to the parent mechanism is
    filed there, by the mechanism that resolved it, not a second time here.
    """
    cases = Case.objects.all() if user is None else access.visible_cases(user)
    begin, stop = period_bounds(start, end)
    return cases.filter(
        mechanism=mechanism,
        state__in=FILED_STATES,
        resolved_at__gte=begin,
        resolved_at__lt=stop,
        escalated_to__isnull=True,
    ).order_by("resolved_at", "reference")


def filing_rows(cases, full_ids):
    """One dict per case, keyed as COLUMNS; a fixed number of queries per chunk of cases."""
    cases = cases.select_related("area").prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.exclude(state=AssignmentState.RETURNED)
            .select_related("unit")
            .order_by("assigned_at", "pk"),
            to_attr="filing_assignments",
        ),
        Prefetch(
            "assistance",
            queryset=AssistanceRecord.objects.select_related("unit").order_by("given_on", "pk"),
            to_attr="filing_assistance",
        ),
    )
    for case in cases.iterator(chunk_size=CHUNK):
        yield _row(case, full_ids)


def _row(case, full_ids):
    records = case.filing_assistance
    units = {a.unit.pk: a.unit for a in case.filing_assignments}
    units.update((r.unit.pk, r.unit) for r in records if r.unit.pk not in units)
    return {
        "reference": case.reference,
        "person_name": case.person_name,
        "id_number": case.id_number if full_ids else mask_id_number(case.id_number),
        "area_code": case.area.code,
        "area_name": case.area.name,
        "household_category": HOUSEHOLD_CATEGORY_TERMS.get(case.household_category, case.household_category),
        "needs": LIST_SEPARATOR.join(NEED_TERMS.get(need, need) for need in case.needs),
        "assistance": "；".join(_describe(record) for record in records),
        "total_amount": sum((r.amount for r in records if r.amount is not None), Decimal("0.00")),
        "units": LIST_SEPARATOR.join(unit.name for unit in units.values()),
        "resolved_on": case.resolved_at.astimezone(SHANGHAI).date(),
    }


def _describe(record):
    given = [record.service] if record.service else []
    if record.amount is not None:
        given.append(f"{record.amount:.2f}元")
    kind = ASSISTANCE_KIND_TERMS.get(record.kind, record.kind)
    funding = FUNDING_TERMS.get(record.funding, record.funding)
    return f"{record.given_on.isoformat()} {record.unit.name} {kind} {' '.join(given)}（{funding}）"


def export_filing(mechanism, start, end, stream, by=None, fmt="csv", full_ids=False, reason=""):
    """Write the filing of a period to stream; returns the number of cases.

    `by=None` is the system (the management command), which may export full ID numbers; a person needs
    may_export_full_ids. Full ID numbers need a reason, logged once per export before anything is written.
    """
    if fmt not in WRITERS:
        raise ActionRefused(_("The filing is written as csv or xlsx."))
    if end < start:
        raise ActionRefused(_("The period ends before it starts."))
    cases = filing_cases(by, mechanism, start, end)
    if full_ids:
        reason = (reason or "").strip()
        if by is not None and not may_export_full_ids(by, mechanism):
            raise ActionRefused(_("Only the secretariat of this mechanism may export full ID numbers."))
        if len(reason) < 4:
            raise ActionRefused(_("Say why the full ID numbers are needed; the reason is written to the access log."))
        _log_export(by, mechanism, start, end, cases.count(), reason)
    return WRITERS[fmt](filing_rows(cases, full_ids), stream)


def _log_export(by, mechanism, start, end, count, reason):
    details = " " + _("(filing %(start)s to %(end)s, %(count)d cases)") % {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "count": count,
    }
    limit = PersonalDataAccess._meta.get_field("reason").max_length - len(details)
    PersonalDataAccess.objects.create(
        user=by, mechanism=mechanism, case=None, kind=AccessKind.EXPORT, reason=reason[:limit] + details
    )


def _text(value):
    """Cell text; a leading formula character is neutralised so a spreadsheet never runs a name as a formula."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(rows, stream):
    """UTF-8 with a byte-order mark (so Excel reads the Chinese), one header row; returns the number of rows.

    `stream` is a text stream opened with newline="" (or an HttpResponse).
    """
    stream.write("\ufeff")
    writer = csv.writer(stream)
    writer.writerow([header for _key, header, _width in COLUMNS])
    count = 0
    for row in rows:
        writer.writerow([_text(row[key]) for key, _header, _width in COLUMNS])
        count += 1
    return count


def write_xlsx(rows, stream):
    """One sheet, a bold frozen header, set column widths, every cell but the total as text; returns the row count.

    `stream` is a binary stream.
    """
    book = Workbook(write_only=True)
    sheet = book.create_sheet("备案")
    for index, (_key, _header, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([_cell(sheet, header, font=bold) for _key, header, _width in COLUMNS])
    count = 0
    for row in rows:
        sheet.append([_xlsx_value(sheet, key, row[key]) for key, _header, _width in COLUMNS])
        count += 1
    buffer = io.BytesIO()
    book.save(buffer)
    stream.write(buffer.getvalue())
    return count


def _xlsx_value(sheet, key, value):
    if key == "total_amount":
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = "0.00"
        return cell
    if key == "resolved_on":
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    return _cell(sheet, value)


def _cell(sheet, value, font=None):
    # Stored as a string even when it starts with "=": openpyxl would otherwise write a formula.
    cell = WriteOnlyCell(sheet, str(value))
    cell.data_type = "s"
    if font is not None:
        cell.font = font
    return cell


WRITERS = {"csv": write_csv, "xlsx": write_xlsx}
