"""The follow-up item's description; the series drafting runs every day at 07:00 Asia/Shanghai (django-q2 cron)."""

from django.db import migrations, models

from mechanism.schedules import cron_schedule

NAME = "xianjie: draft meetings of series (daily 07:00)"
CRON = "0 7 * * *"


add_schedule, remove_schedule = cron_schedule(NAME, "meetings.tasks.draft_series_meetings", CRON)


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
