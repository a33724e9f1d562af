"""The log of reads of confidential records is append-only: the database refuses to change or
delete an entry (whatever the code, the admin or a shell does); only the link to an account
that is deleted may be cleared, as ``on_delete=SET_NULL`` does."""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION core_accessentry_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.user_id IS NULL
       AND (NEW.id, NEW.username, NEW.at, NEW.how, NEW.content_type_id, NEW.object_id,
            NEW.object_ids, NEW.count, NEW.note, NEW.remote_addr)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.username, OLD.at, OLD.how, OLD.content_type_id, OLD.object_id,
            OLD.object_ids, OLD.count, OLD.note, OLD.remote_addr) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'core_accessentry is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER core_accessentry_append_only
    BEFORE UPDATE OR DELETE ON core_accessentry
    FOR EACH ROW EXECUTE FUNCTION core_accessentry_append_only();
"""

REVERSE = """
DROP TRIGGER IF EXISTS core_accessentry_append_only ON core_accessentry;
DROP FUNCTION IF EXISTS core_accessentry_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("core", "0009_import_job_changes")]

    operations = [migrations.RunSQL(SQL, REVERSE)]
