"""The BENCH-RESULT line every bench prints, and the table bench/run.py makes of them (text and Markdown)."""

import json
import os
from pathlib import Path

COLUMNS = ["bench", "database", "figure", "floor", "ratio", "target", "met"]


def result(bench, what, figure, value, floor="", ratio=None, target="", met=None):
    """Print the BENCH-RESULT line of one figure; bench/run.py collects them."""
    line = {"bench": bench, "what": what, "figure": figure, "value": round(float(value), 3), "floor": floor}
    line.update(ratio=None if ratio is None else round(float(ratio), 3), target=target, met=met)
    print("BENCH-RESULT " + json.dumps(line, ensure_ascii=False), flush=True)


def machine():
    """Cores, memory and CPU model, from /proc (Linux); what the figures depend on."""
    model, memory = "unknown CPU", "unknown RAM"
    cpuinfo, meminfo = Path("/proc/cpuinfo"), Path("/proc/meminfo")
    if cpuinfo.exists():
        lines = cpuinfo.read_text().splitlines()
        model = next((line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")), model)
    if meminfo.exists():
        total = next(line for line in meminfo.read_text().splitlines() if line.startswith("MemTotal"))
        memory = f"{int(total.split()[1]) / 2**20:.0f} GiB RAM"
    return f"{os.cpu_count()} cores ({model}), {memory}"


def cells(row):
    """The seven cells of one row; a failed or skipped bench has only its figure."""
    ratio = row.get("ratio")
    met = row.get("met")
    return [
        row["bench"] + (f": {row['what']}" if row.get("what") else ""),
        row["database"],
        row.get("figure", ""),
        row.get("floor", ""),
        "" if ratio is None else f"{ratio:.2f}",
        row.get("target", ""),
        "FAILED" if row.get("failed") else {True: "yes", False: "NO", None: ""}[met],
    ]


def text_table(rows):
    table = [COLUMNS] + [cells(row) for row in rows]
    widths = [min(max(len(line[n]) for line in table), 70) for n in range(len(COLUMNS))]
    lines = (" | ".join(cell[:70].ljust(width) for cell, width in zip(line, widths, strict=True)) for line in table)
    return "\n".join(lines)


def markdown(title, about, rows):
    lines = [f"### {title}", "", about, "", "| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for row in rows:
        lines.append("| " + " | ".join(cell.replace("|", "/") for cell in cells(row)) + " |")
    return "\n".join(lines) + "\n"
