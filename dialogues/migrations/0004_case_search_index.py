"""A trigram index for searching public-opinion cases by their content (50.000 in a city).

The index serves the register's ``?q=`` search (:func:`longbien.core.search.text_q`'s
``LIKE '%…%'``) when the server has ``pg_trgm``; without it nothing is created (see
:mod:`longbien.search_index`).
"""

from django.db import migrations

from longbien.search_index import AddSearchIndex


class Migration(migrations.Migration):
    dependencies = [("dialogues", "0003_case_keyset_index")]

    operations = [
        AddSearchIndex(
            name="dialogues_case_content_trgm",
            table="dialogues_opinioncase",
            column="content_folded",
        ),
    ]
