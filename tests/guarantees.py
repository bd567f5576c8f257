"""The guarantees this run measured, printed at the end of `make test` (one summary per database).

Tests add what they tried and what broke:

    guarantees.add("crawl", "urls", 120, role="liaison of another unit")
    guarantees.add("crawl", "leaks", 0, role="liaison of another unit")
    guarantees.add("stale writes", "tried", 1, subject="case")
    guarantees.add("stale writes", "lost", 0, subject="case")
    guarantees.add("jobs", "runs twice", 1, subject="rotation.tasks.daily")
    guarantees.add("jobs", "duplicates", 0, subject="rotation.tasks.daily")
    guarantees.add("fuzz", "inputs", 200, subject="help request form")
    guarantees.add("fuzz", "5xx", 0, subject="help request form")

Figures are summed per (group, measure, label); the summary prints each group's totals and, where a label was
given and the labels are few, one line per label. A test adds its figures only once it has checked them, so a
failed test adds nothing that looks like a pass.
"""

from collections import defaultdict

_figures = defaultdict(int)  # (group, measure, label) -> count
DETAIL_LIMIT = 15  # a group with more labels than this prints its totals only


def add(group, measure, count, role=None, subject=None):
    label = role or subject or ""
    _figures[(group, measure, label)] += int(count)


def figures():
    return dict(_figures)


def summary_lines():
    """Readable lines: per group, the totals of each measure, then one line per label."""
    groups = {}
    for (group, measure, label), count in sorted(_figures.items()):
        entry = groups.setdefault(group, {"totals": defaultdict(int), "labels": defaultdict(dict)})
        entry["totals"][measure] += count
        if label:
            entry["labels"][label][measure] = count
    lines = []
    for group, entry in groups.items():
        totals = ", ".join(f"{measure} {count}" for measure, count in entry["totals"].items())
        labels = entry["labels"]
        if len(labels) > DETAIL_LIMIT:  # a short summary: the fuzzed forms are too many to list one by one
            lines.append(f"{group}: {totals} ({len(labels)} subjects)")
            continue
        lines.append(f"{group}: {totals}")
        for label, measures in labels.items():
            detail = ", ".join(f"{measure} {count}" for measure, count in measures.items())
            lines.append(f"    {label}: {detail}")
    return lines
