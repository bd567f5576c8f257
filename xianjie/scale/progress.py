"""Progress on stderr: a rich bar in a terminal, a plain line per tenth in a log file, nothing when quiet."""

import sys
import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.progress import Progress as RichProgress


class Progress:
    def __init__(self, quiet=False):
        console = Console(stderr=True)
        self.plain = not quiet and not console.is_terminal
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   TimeRemainingColumn())  # fmt: skip
        self.bar = RichProgress(*columns, console=console, disable=quiet or self.plain)
        self.started = time.monotonic()

    def __enter__(self):
        self.bar.__enter__()
        return self

    def __exit__(self, *exc):
        return self.bar.__exit__(*exc)

    def task(self, description, total):
        """A callable that advances the task by an amount."""
        task_id = self.bar.add_task(str(description), total=total)
        if not self.plain:
            return lambda amount=1: self.bar.advance(task_id, amount)
        done, step = [0, 0], max(1, total // 10)

        def advance(amount=1):
            done[0] += amount
            if done[0] // step > done[1] or done[0] == total:
                done[1] = done[0] // step
                seconds = time.monotonic() - self.started
                print(f"{description}: {done[0]}/{total} after {seconds:.0f} s", file=sys.stderr, flush=True)

        return advance
