"""An index for reading evaluations newest first by keyset: (year, month, id).

The API pages the city's 1.2 million evaluations by keyset on ``-year, -month, -id``
(``longbien.core.api.KeysetPagination``); with this index a page, first or deep, is an index
scan of 51 rows instead of an incremental sort of a whole month's evaluations. Written as
SQL (not ``Meta.indexes``) so that it stays a pure addition to the schema.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cadres", "0008_cadres_vietnamese_labels")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS cadres_eval_keyset ON cadres_evaluation (year, month, id)",
            "DROP INDEX IF EXISTS cadres_eval_keyset",
        ),
    ]
