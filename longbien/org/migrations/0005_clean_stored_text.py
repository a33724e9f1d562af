"""Clean the text stored before its fields cleaned input (longbien.fields)."""

from django.db import migrations

from longbien.fields import clean_stored_text
from longbien.text import fold, person_sort_key, sort_key


def clean(apps, schema_editor):
    clean_stored_text(
        apps,
        "org",
        derived={
            "OrgUnit": lambda row: {
                "name_folded": fold(row["name"])[:200],
                "sort_key": sort_key(row["name"]),
            },
            "Person": lambda row: {
                "name_folded": fold(row["full_name"])[:120],
                "sort_key": person_sort_key(row["full_name"]),
            },
        },
        # Unit codes were only ever accepted in plain ASCII, and every descendant's path
        # repeats them: left as they are.
        keep=["OrgUnit.code"],
    )


class Migration(migrations.Migration):
    dependencies = [("org", "0004_text_fields")]

    operations = [migrations.RunPython(clean, migrations.RunPython.noop)]
