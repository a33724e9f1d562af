"""A trigram index for searching inspections by topic (20.000 in a city).

The index serves the register's ``?q=`` search (:func:`longbien.core.search.text_q`'s
``LIKE '%…%'``) when the server has ``pg_trgm``; without it nothing is created (see
:mod:`longbien.search_index`).
"""

from django.db import migrations

from longbien.search_index import AddSearchIndex


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]

    operations = [
        AddSearchIndex(
            name="inspections_inspection_topic_trgm",
            table="inspections_inspection",
            column="topic_folded",
        ),
    ]
