"""A trigram index for searching tasks by title (100.000 tasks in a city).

The index serves the register's ``?q=`` search (:func:`longbien.core.search.text_q`'s
``LIKE '%…%'``) when the server has ``pg_trgm``; without it nothing is created (see
:mod:`longbien.search_index`).
"""

from django.db import migrations

from longbien.search_index import AddSearchIndex


class Migration(migrations.Migration):
    dependencies = [("resolutions", "0009_task_keyset_index")]

    operations = [
        AddSearchIndex(
            name="resolutions_task_title_trgm", table="resolutions_task", column="title_folded"
        ),
    ]
