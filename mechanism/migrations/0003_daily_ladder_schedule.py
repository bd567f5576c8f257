"""The overdue ladder runs every day at 08:30 Asia/Shanghai (django-q2 cron, in TIME_ZONE)."""

from django.db import migrations

from mechanism.schedules import cron_schedule

NAME = "xianjie: overdue ladder (daily 08:30)"


add_schedule, remove_schedule = cron_schedule(NAME, "mechanism.tasks.daily_overdue_ladder", "30 8 * * *")


class Migration(migrations.Migration):
    dependencies = [("mechanism", "0002_casework"), ("django_q", "0018_task_success_index")]
    operations = [migrations.RunPython(add_schedule, remove_schedule)]
