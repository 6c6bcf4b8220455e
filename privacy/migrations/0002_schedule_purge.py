from django.db import migrations


def schedule_purge(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name="delete expired personal data",
        defaults={
            "func": "privacy.tasks.purge_expired_personal_data",
            "schedule_type": "H",
            "repeats": -1,
        },
    )


def unschedule_purge(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.filter(name="delete expired personal data").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_initial"),
        ("django_q", "0018_task_success_index"),
    ]

    operations = [migrations.RunPython(schedule_purge, unschedule_purge)]
