from django.db import migrations

from longbien.text import fold


def fill(apps, schema_editor):
    Task = apps.get_model("resolutions", "Task")
    batch = []
    for task in Task.objects.only("id", "title").iterator(chunk_size=2000):
        task.title_folded = fold(task.title)[:500]
        batch.append(task)
        if len(batch) >= 2000:
            Task.objects.bulk_update(batch, ["title_folded"])
            batch = []
    Task.objects.bulk_update(batch, ["title_folded"])


class Migration(migrations.Migration):
    dependencies = [("resolutions", "0003_task_title_folded")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
