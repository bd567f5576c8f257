"""The notice sweep runs every 5 minutes (django-q2 cron): it sends what a lost or failed notice task left."""

from django.db import migrations

from mechanism.schedules import cron_schedule

NAME = "xianjie: send pending meeting notices (every 5 minutes)"
FUNC = "meetings.tasks.deliver_pending_notices"
CRON = "*/5 * * * *"


add_schedule, remove_schedule = cron_schedule(NAME, FUNC, CRON)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0004_mail_delivery"), ("django_q", "0018_task_success_index")]
    operations = [migrations.RunPython(add_schedule, remove_schedule)]
