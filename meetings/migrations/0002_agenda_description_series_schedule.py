"""The follow-up item's description; the series drafting runs every day at 07:00 Asia/Shanghai (django-q2 cron)."""

import datetime
from zoneinfo import ZoneInfo

from croniter import croniter
from django.db import migrations, models

NAME = "xianjie: draft meetings of series (daily 07:00)"
CRON = "0 7 * * *"


def add_schedule(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    now = datetime.datetime.now(ZoneInfo("Asia/Shanghai"))
    Schedule.objects.update_or_create(
        name=NAME,
        defaults={
            "func": "meetings.tasks.draft_series_meetings",
            "schedule_type": "C",
            "cron": CRON,
            "repeats": -1,
            "next_run": croniter(CRON, now).get_next(datetime.datetime),
        },
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_initial"),
        ("django_q", "0018_task_success_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="agendaitem",
            name="description",
            field=models.TextField(
                blank=True,
                help_text="For the report on earlier action items: what is still open.",
                verbose_name="description",
            ),
        ),
        migrations.RunPython(add_schedule, remove_schedule),
    ]
