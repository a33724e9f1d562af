"""Clean the text stored before its fields cleaned input (longbien.fields)."""

from django.db import migrations

from longbien.fields import clean_stored_text
from longbien.text import fold


def clean(apps, schema_editor):
    clean_stored_text(
        apps,
        "resolutions",
        derived={
            "Document": lambda row: {"title_folded": fold(f"{row['symbol']} {row['title']}")[:600]},
            "Task": lambda row: {"title_folded": fold(row["title"])[:500]},
        },
    )


class Migration(migrations.Migration):
    dependencies = [("resolutions", "0006_text_fields")]

    operations = [migrations.RunPython(clean, migrations.RunPython.noop)]
