"""Clean the text stored before its fields cleaned input (longbien.fields)."""

from django.db import migrations

from longbien.fields import clean_stored_text
from longbien.text import fold


def clean(apps, schema_editor):
    clean_stored_text(
        apps,
        "procedures",
        derived={
            "Procedure": lambda row: {"name_folded": fold(f"{row['code']} {row['name']}")[:300]}
        },
    )


class Migration(migrations.Migration):
    dependencies = [("procedures", "0002_text_fields")]

    operations = [migrations.RunPython(clean, migrations.RunPython.noop)]
