"""Minutes of 40 agenda items as a .docx: server time per download, against a 300 ms target and against the
floor of python-docx saving an empty document.

    .venv/bin/python bench/documents.py [--items 40] [--runs 30]

Runs in-process under xianjie.settings.production (DEBUG off, the real middleware) on a fresh SQLite file in
a temporary directory, or on BENCH_DATABASE_URL (an empty database; migrate creates the tables). A held
meeting of 40 agenda items gets its minutes through the minutes services: each item a two-sentence summary,
two decisions and two action items (units, due date, expected result); 12 units attend. Each run downloads
the "minutes" document through Django's test client as the secretariat (URL resolution, middleware, access
check, the snapshot queries, the layout, the zip); the script also times the document alone (built and
saved, no request) and the floor. If the "minutes" kind is not registered, it benches a 40-item document
built directly with OfficialDocument instead and says so.
"""

import argparse
import datetime
import io
import tempfile
from pathlib import Path

from support.inprocess import configure
from support.table import result
from support.timing import figures, timed

TARGET_MS = 300.0
SUMMARY = "会议听取了相关单位的情况汇报，分析研判了困难群众救助帮扶需求。与会单位一致同意按职责分工抓好落实。"


def build(items):
    """A mechanism of 12 units, its secretariat, and the minutes of a held meeting of `items` agenda items."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from mechanism.models import Area, AreaLevel, ConvenerTerm, Mechanism, Membership, MemberUnit, Role, UnitKind
    from meetings.models import AgendaItem, AgendaItemKind, DecisionKind, Meeting, MeetingState
    from meetings.services import add_decision, record_attendance, start_minutes, update_item_summary

    now = timezone.now()
    area = Area.objects.create(code="149900", name="基准省", level=AreaLevel.PROVINCE)
    mechanism = Mechanism.objects.create(area=area, name="基准省政府救助与慈善帮扶工作衔接机制")
    units = [
        MemberUnit.objects.create(
            mechanism=mechanism,
            code=f"u{n}",
            name=f"基准省第{n}成员单位",
            short_name=f"第{n}单位",
            kind=UnitKind.GOVERNMENT if n == 0 else UnitKind.MASS_ORGANISATION,
            joined_on=datetime.date(2020, 1, 1),
            is_lead=n == 0,
        )  # fmt: skip
        for n in range(12)
    ]
    ConvenerTerm.objects.create(mechanism=mechanism, unit=units[1], starts_at=now - datetime.timedelta(days=30))
    user = get_user_model().objects.create_user("bench_secretariat", "bench@example.org", "x")
    Membership.objects.create(user=user, unit=units[0], role=Role.SECRETARIAT)
    starts_at = now - datetime.timedelta(days=1)
    meeting = Meeting.objects.create(
        mechanism=mechanism, year=starts_at.year, number=1, starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=3), place="基准会议室", state=MeetingState.HELD,
    )  # fmt: skip
    meeting.invited_units.set(units)
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, order=k, title=f"关于第{k}项救助帮扶工作的议题", kind=AgendaItemKind.TOPIC)
        for k in range(1, items + 1)
    )
    for unit in units:
        record_attendance(meeting, unit, f"{unit.short_name}代表", by=user)
    minutes = start_minutes(meeting, by=user)
    due = timezone.localdate() + datetime.timedelta(days=30)
    for entry in minutes.items.select_related("agenda_item").order_by("agenda_item__order"):
        update_item_summary(entry, SUMMARY, by=user)
        for n in range(2):
            add_decision(entry, DecisionKind.DECISION, f"同意第{n + 1}项工作安排，由牵头单位统筹推进。", by=user)
            add_decision(
                entry, DecisionKind.ACTION, f"落实第{n + 1}项帮扶措施并报送台账", units=units[1 + n : 3 + n],
                due_on=due, expected_result="按期报送帮扶台账", by=user,
            )  # fmt: skip
    return user, meeting


def builder_document(items):
    """The same shape without the database: title, items with summary, decisions and an action-item table."""
    from mechanism.documents.builder import OfficialDocument

    doc = OfficialDocument()
    doc.title("基准省2026年第1次联席会议纪要")
    doc.paragraph("2026年3月2日，召集单位在基准会议室召开联席会议。现将会议议定事项纪要如下：")
    doc.paragraph("、".join(f"基准省第{n}成员单位" for n in range(12)), indent=False, bold_lead="出席：")
    for k in range(1, items + 1):
        doc.heading1(f"{k}、关于第{k}项救助帮扶工作的议题")
        doc.paragraph(SUMMARY)
        doc.paragraph(bold_lead="决定事项：")
        for n in (1, 2):
            doc.paragraph(f"{n}.同意第{n}项工作安排，由牵头单位统筹推进。")
        doc.paragraph(bold_lead="督办事项：")
        rows = [[n, f"落实第{n}项帮扶措施并报送台账", "第1单位、第2单位", "2026年4月1日", "按期报送"] for n in (1, 2)]
        doc.table(["序号", "事项", "责任单位", "完成时限", "预期成果"], rows, widths_mm=(12, 52, 34, 28, 30))
    doc.signature("基准省政府救助与慈善帮扶工作衔接机制办公室", datetime.date(2026, 3, 2))
    return doc


def floor():
    from docx import Document

    Document().save(io.BytesIO())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="xianjie-documents-bench-") as var_dir:
        configure(Path(var_dir))
        from django.db import connection
        from django.test import Client
        from django.urls import reverse

        from mechanism.documents import registry

        if "minutes" in registry.KINDS:
            user, meeting = build(args.items)
            client = Client()
            client.force_login(user)
            url = reverse("xianjie_documents:download", args=["minutes", meeting.pk])
            response = client.get(url)
            assert response.status_code == 200 and response["Content-Type"].endswith("document"), response
            size = len(response.content)
            what = f"the 'minutes' document of a meeting of {args.items} agenda items, by download"
            served = timed(lambda: client.get(url), args.runs)
            kind, minutes = registry.get_kind("minutes"), registry.get_kind("minutes").get(meeting.pk)
            alone = timed(lambda: registry.render(kind, minutes), args.runs)
        else:
            size = len(builder_document(args.items).to_bytes())
            what = f"'minutes' is not registered: a {args.items}-item document built with OfficialDocument"
            served = None
            alone = timed(lambda: builder_document(args.items).to_bytes(), args.runs)
        empty = timed(floor, args.runs)
        vendor = connection.vendor
        connection.close()
    print(f"database {vendor}; {what}; {size / 1024:.0f} KiB; {args.runs} runs each")
    if served is not None:
        p50, p95 = figures("download (server time)", served)
    document_p50, _p95 = figures("document alone (build and save)", alone)
    floor_p50, _p95 = figures("floor: python-docx saving an empty Document()", empty)
    if served is None:
        p50, p95 = document_p50, _p95
    print(f"target {TARGET_MS:.0f} ms: p50 / target {p50 / TARGET_MS:.2f}, p95 / target {p95 / TARGET_MS:.2f}")
    print(f"p50 / floor {p50 / floor_p50:.1f}; document alone / floor {document_p50 / floor_p50:.1f}")
    result(
        "documents",
        f"minutes of {args.items} items .docx" + ("" if served is not None else " (built directly)"),
        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms",
        p95,
        floor=f"empty python-docx save p50 {floor_p50:.1f} ms",
        ratio=p50 / floor_p50,
        target=f"p95 < {TARGET_MS:.0f} ms",
        met=p95 < TARGET_MS,
    )


if __name__ == "__main__":
    main()
