"""Documents built in the background are deleted a week after they are finished: every day at 03:30
Asia/Shanghai (django-q2 cron, in TIME_ZONE)."""

import datetime
from zoneinfo import ZoneInfo

from croniter import croniter
from django.db import migrations

NAME = "xianjie: delete finished documents older than a week (daily 03:30)"
CRON = "30 3 * * *"


def add_schedule(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    now = datetime.datetime.now(ZoneInfo("Asia/Shanghai"))
    Schedule.objects.update_or_create(
        name=NAME,
        defaults={
            "func": "mechanism.tasks.daily_document_cleanup",
            "schedule_type": "C",
            "cron": CRON,
            "repeats": -1,
            "next_run": croniter(CRON, now).get_next(datetime.datetime),
        },
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("mechanism", "0007_private_document_files"), ("django_q", "0018_task_success_index")]
    operations = [migrations.RunPython(add_schedule, remove_schedule)]
