"""One django-q2 cron schedule per scheduled job, installed by a data migration of the app that owns the job.

Each such migration says `add_schedule, remove_schedule = cron_schedule(NAME, FUNC, CRON)` and runs them with
RunPython. The cron is read in TIME_ZONE (Asia/Shanghai); adding twice keeps one row (keyed by the name).
"""

import datetime
from zoneinfo import ZoneInfo

from croniter import croniter


def cron_schedule(name, func, cron):
    """The (add, remove) pair of RunPython functions for the Schedule row `name` running `func` at `cron`."""

    def add_schedule(apps, schema_editor):
        now = datetime.datetime.now(ZoneInfo("Asia/Shanghai"))
        apps.get_model("django_q", "Schedule").objects.update_or_create(
            name=name,
            defaults={
                "func": func,
                "schedule_type": "C",
                "cron": cron,
                "repeats": -1,
                "next_run": croniter(cron, now).get_next(datetime.datetime),
            },
        )

    def remove_schedule(apps, schema_editor):
        apps.get_model("django_q", "Schedule").objects.filter(name=name).delete()

    return add_schedule, remove_schedule
