"""An index for reading public-opinion cases newest first by keyset: (received_on, id).

``longbien.core.api.KeysetPagination`` pages the cases on ``-received_on, -id``; this index
serves that order (first and deep pages alike) without sorting the register. Written as SQL
(not ``Meta.indexes``) so that it stays a pure addition to the schema.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("dialogues", "0002_around_the_cases")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS dialogues_case_keyset ON dialogues_opinioncase (received_on, id)",
            "DROP INDEX IF EXISTS dialogues_case_keyset",
        ),
    ]
