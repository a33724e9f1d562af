"""An index for the task register's order: (deadline, id).

The register (page and API) reads tasks by ``deadline, id``; at city scale (100,000 tasks)
without this index every page sorted the whole scope (about 120 ms), with it a page is an
index scan of 51 rows, first or deep (the API's keyset cursor). Written as SQL (not
``Meta.indexes``) so that it stays a pure addition to the schema.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("resolutions", "0008_resolutions_vietnamese_labels")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS resolutions_task_keyset ON resolutions_task (deadline, id)",
            "DROP INDEX IF EXISTS resolutions_task_keyset",
        ),
    ]
