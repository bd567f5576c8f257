"""Timing for the in-process benches: milliseconds per call, and the p50/p95 line they print."""

import statistics
import time


def timed(function, runs, warmup=3):
    """The sorted times in ms of `runs` calls of function, after `warmup` calls that are not counted."""
    for _n in range(warmup):
        function()
    times = []
    for _n in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return sorted(times)


def percentiles(times):
    """(p50, p95) of sorted times."""
    return statistics.median(times), times[max(int(len(times) * 0.95) - 1, 0)]


def figures(label, times):
    """Print the p50, p95 and mean of sorted times under a label; returns (p50, p95)."""
    p50, p95 = percentiles(times)
    print(f"{label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms, mean {statistics.fmean(times):.1f} ms")
    return p50, p95
