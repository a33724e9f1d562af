"""Trigram indexes for searching people by name and by code (100.000 people in a city).

The index serves the register's ``?q=`` search (:func:`longbien.core.search.text_q`'s
``LIKE '%…%'``) when the server has ``pg_trgm``; without it nothing is created (see
:mod:`longbien.search_index`).
"""

from django.db import migrations

from longbien.search_index import AddSearchIndex


class Migration(migrations.Migration):
    dependencies = [("org", "0008_person_tally")]

    operations = [
        AddSearchIndex(name="org_person_name_trgm", table="org_person", column="name_folded"),
        AddSearchIndex(name="org_person_code_trgm", table="org_person", column="code", upper=True),
    ]
