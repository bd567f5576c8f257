"""The handover's scheduled work runs every day at 08:00 Asia/Shanghai (django-q2 cron, in TIME_ZONE):
rotation.tasks.daily picks the jobs whose window contains the day."""

from django.db import migrations

from mechanism.schedules import cron_schedule

NAME = "xianjie: handover jobs (daily 08:00)"
FUNC = "rotation.tasks.daily"
CRON = "0 8 * * *"


add_schedule, remove_schedule = cron_schedule(NAME, FUNC, CRON)


class Migration(migrations.Migration):
    dependencies = [("rotation", "0002_handover_summary_plan"), ("django_q", "0018_task_success_index")]
    operations = [migrations.RunPython(add_schedule, remove_schedule)]
