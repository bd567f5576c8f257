"""Stale help-channel reminders go out every Monday at 09:00 Asia/Shanghai (django-q2 cron, in TIME_ZONE)."""

from django.db import migrations

from mechanism.schedules import cron_schedule

NAME = "xianjie: stale help channel reminders (Mondays 09:00)"
CRON = "0 9 * * 1"


add_schedule, remove_schedule = cron_schedule(NAME, "mechanism.tasks.weekly_channel_reminders", CRON)


class Migration(migrations.Migration):
    dependencies = [("mechanism", "0004_help_channels"), ("django_q", "0018_task_success_index")]
    operations = [migrations.RunPython(add_schedule, remove_schedule)]
