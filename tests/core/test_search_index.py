"""The text-search indexes (longbien/search_index.py): trigram indexes that serve the very
``LIKE '%…%'`` the registers' search writes, created where the server has pg_trgm."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from longbien import search_index
from longbien.core.search import text_q
from longbien.org.models import Person
from tests.conftest import require_or_skip

EXPECTED = {
    "org_person_name_trgm",
    "org_person_code_trgm",
    "resolutions_task_title_trgm",
    "dialogues_case_content_trgm",
    "inspections_inspection_topic_trgm",
}


def _declared() -> dict[str, tuple[str, str]]:
    MigrationLoader(connection)  # imports the migrations, which declare their indexes
    return search_index.DECLARED


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # The test tables are tiny: forbid the sequential scan to see what an index serves.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")  # not a walk of another index
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.django_db
def test_the_migrations_build_the_indexes_where_pg_trgm_exists():
    require_or_skip(search_index.available(connection), "the server has no pg_trgm")
    assert set(_declared()) >= EXPECTED
    for name in EXPECTED:
        assert search_index.exists(connection, name), name


@pytest.mark.django_db
def test_the_search_of_the_people_register_is_served_by_them(tree):
    """The index's expressions are the ones text_q writes: a name and a code, in one search."""
    require_or_skip(search_index.available(connection), "the server has no pg_trgm")
    searched = Person.objects.filter(text_q(("name_folded", "code"), "Nguyễn Văn")).order_by()
    plan = _plan(searched)
    assert "org_person_name_trgm" in plan and "org_person_code_trgm" in plan, plan
    assert "Seq Scan on org_person" not in plan


@pytest.mark.django_db
def test_without_pg_trgm_nothing_is_created_and_the_command_says_so(monkeypatch):
    monkeypatch.setattr(search_index, "available", lambda connection: False)
    assert search_index.create(connection, "x_never_made", "org_person", '"code"') is False
    assert not search_index.exists(connection, "x_never_made")
    with pytest.raises(Exception, match="pg_trgm"):
        call_command("search_indexes")


@pytest.mark.django_db
def test_the_command_builds_a_missing_index_again(capsys):
    require_or_skip(search_index.available(connection), "the server has no pg_trgm")
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX org_person_name_trgm")
    assert not search_index.exists(connection, "org_person_name_trgm")
    call_command("search_indexes")
    assert search_index.exists(connection, "org_person_name_trgm")
    out = capsys.readouterr().out
    assert "Đã tạo org_person_name_trgm." in out and "Đã có org_person_code_trgm." in out
