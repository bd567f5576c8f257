"""The annual work summary (年度工作总结, four charts) and the handover record (交接记录) as .docx, and one summary
chart as PNG: server time per download against the 300 ms document target and against their floors.

    .venv/bin/python bench/rotation_documents.py [--runs 30]

Runs in-process under xianjie.settings.production (DEBUG off, the real middleware) on a fresh SQLite file in
a temporary directory, or on BENCH_DATABASE_URL (an empty database; migrate creates the tables), loaded with
the demo (mechanisms, cases, meetings, rotation). Each run downloads through Django's test client as the
provincial secretariat: URL resolution, middleware, the access check, the figures' labels, the charts drawn
by matplotlib (drawn on the first download after a recount, then taken from the cache: both are measured),
the layout and the zip. Floors: python-docx saving an empty document; matplotlib saving an
empty figure of the chart's size as PNG.
"""

import argparse
import io
import tempfile
from pathlib import Path

from documents import floor
from support.inprocess import configure
from support.table import result
from support.timing import figures, timed

TARGET_MS = 300.0


def seed():
    from django.contrib.auth import get_user_model

    from mechanism.demo import seed_mechanisms
    from mechanism.demo_cases import seed_cases
    from meetings.demo import seed_meetings
    from rotation.demo import seed_rotation

    seed_mechanisms()
    seed_cases()
    seed_meetings()
    handover = seed_rotation()
    return get_user_model().objects.get(username="secretariat"), handover


def empty_chart():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from rotation.summaries.charts import DPI, SIZE_INCHES

    figure = Figure(figsize=SIZE_INCHES, dpi=DPI)
    FigureCanvasAgg(figure).print_png(io.BytesIO())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="xianjie-rotation-bench-") as var_dir:
        configure(Path(var_dir))
        from django.db import connection
        from django.test import Client
        from django.urls import reverse

        user, handover = seed()
        client = Client()
        client.force_login(user)
        urls = {
            "summary .docx": reverse("xianjie_documents:download", args=["summary", handover.summary_id]),
            "handover record .docx": reverse("xianjie_documents:download", args=["handover", handover.pk]),
            "one chart .png": reverse("rotation_summaries:chart", args=[handover.summary_id, "cases_by_need"]),
        }
        from django.core.cache import cache

        def cold(url):
            cache.clear()  # the charts drawn again, as on the first download after a recount
            return client.get(url)

        results, sizes = {}, {}
        for label, url in urls.items():
            response = client.get(url)
            assert response.status_code == 200, (label, response.status_code)
            sizes[label] = len(response.content)
            if label.startswith("summary"):
                results[f"{label}, charts drawn"] = timed(lambda url=url: cold(url), args.runs)
                label = f"{label}, charts from the cache"
            results[label] = timed(lambda url=url: client.get(url), args.runs)
        docx_floor, png_floor = timed(floor, args.runs), timed(empty_chart, args.runs)
        vendor = connection.vendor
        connection.close()
    print(f"database {vendor}; the demo province's summary and coming handover; {args.runs} runs each")
    floor_p50, _p95 = figures("floor: python-docx saving an empty Document()", docx_floor)
    chart_floor_p50, _p95 = figures("floor: matplotlib saving an empty figure as PNG", png_floor)
    for label, times in results.items():
        size = next(size for name, size in sizes.items() if label.startswith(name))
        p50, p95 = figures(f"{label} ({size / 1024:.0f} KiB, server time)", times)
        base = chart_floor_p50 if label.endswith(".png") else floor_p50
        print(f"  p95 / target {p95 / TARGET_MS:.2f}; p50 / floor {p50 / base:.1f}")
        result(
            "rotation_documents",
            label,
            f"p50 {p50:.1f} ms, p95 {p95:.1f} ms",
            p95,
            floor=f"empty {'PNG' if base is chart_floor_p50 else '.docx'} p50 {base:.1f} ms",
            ratio=p50 / base,
            target=f"p95 < {TARGET_MS:.0f} ms",
            met=p95 < TARGET_MS,
        )


if __name__ == "__main__":
    main()
