"""The handover's scheduled work runs every day at 08:00 Asia/Shanghai (django-q2 cron, in TIME_ZONE):
rotation.tasks.daily picks the jobs whose window contains the day."""

import datetime
from zoneinfo import ZoneInfo

from croniter import croniter
from django.db import migrations

NAME = "xianjie: handover jobs (daily 08:00)"
FUNC = "rotation.tasks.daily"
CRON = "0 8 * * *"


def add_schedule(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    now = datetime.datetime.now(ZoneInfo("Asia/Shanghai"))
    Schedule.objects.update_or_create(
        name=NAME,
        defaults={
            "func": FUNC,
            "schedule_type": "C",
            "cron": CRON,
            "repeats": -1,
            "next_run": croniter(CRON, now).get_next(datetime.datetime),
        },
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("rotation", "0002_handover_summary_plan"), ("django_q", "0018_task_success_index")]
    operations = [migrations.RunPython(add_schedule, remove_schedule)]
