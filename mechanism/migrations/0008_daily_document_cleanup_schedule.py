"""Documents built in the background are deleted a week after they are finished: every day at 03:30
Asia/Shanghai (django-q2 cron, in TIME_ZONE)."""

from django.db import migrations

from mechanism.schedules import cron_schedule

NAME = "xianjie: delete finished documents older than a week (daily 03:30)"
CRON = "30 3 * * *"


add_schedule, remove_schedule = cron_schedule(NAME, "mechanism.tasks.daily_document_cleanup", CRON)


class Migration(migrations.Migration):
    dependencies = [("mechanism", "0007_private_document_files"), ("django_q", "0018_task_success_index")]
    operations = [migrations.RunPython(add_schedule, remove_schedule)]
