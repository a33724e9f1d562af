"""Clean the text stored before its fields cleaned input (longbien.fields)."""

from django.db import migrations

from longbien.fields import clean_stored_text


def clean(apps, schema_editor):
    clean_stored_text(apps, "confidential_app")


class Migration(migrations.Migration):
    dependencies = [("confidential_app", "0002_text_fields")]

    operations = [migrations.RunPython(clean, migrations.RunPython.noop)]
