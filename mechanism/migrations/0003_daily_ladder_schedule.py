"""The overdue ladder runs every day at 08:30 Asia/Shanghai (django-q2 cron, in TIME_ZONE)."""

import datetime
from zoneinfo import ZoneInfo

from croniter import croniter
from django.db import migrations

NAME = "xianjie: overdue ladder (daily 08:30)"


def add_schedule(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    now = datetime.datetime.now(ZoneInfo("Asia/Shanghai"))
    Schedule.objects.update_or_create(
        name=NAME,
        defaults={
            "func": "mechanism.tasks.daily_overdue_ladder",
            "schedule_type": "C",
            "cron": "30 8 * * *",
            "repeats": -1,
            "next_run": croniter("30 8 * * *", now).get_next(datetime.datetime),
        },
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("mechanism", "0002_casework"), ("django_q", "0018_task_success_index")]
    operations = [migrations.RunPython(add_schedule, remove_schedule)]
