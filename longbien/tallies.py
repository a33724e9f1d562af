"""Subtree tallies: a register's rows counted per unit *and every unit above it*, kept by
PostgreSQL itself.

A figure over a unit's subtree ("approved evaluations per rating, August 2015 to July 2020,
in the whole city") otherwise counts every row below the unit: 1,2 million evaluations for the
city, 0,4 s however the query is written. A tally keeps, for every unit, the counts of its
whole subtree grouped by a few columns (``year, month, status, rating``), so the same figure
reads a few hundred rows of one unit by index.

**Kept by the database.** Statement-level triggers with transition tables on the counted
table add and subtract what each INSERT, UPDATE, DELETE (and COPY) changed, whoever runs it
(services, bulk imports, the admin, raw SQL), in the same transaction: a rollback takes the
change back with it. A TRUNCATE empties the tally. A unit moved in the tree (its ``path``
changed) has the tally rebuilt once, when the transaction commits (a deferred constraint
trigger; a merger that moves forty units in one transaction rebuilds once): until then, in
that transaction, the moved rows still count under their old ancestors. The tally is a model
of the app that owns the counted table (a unit, the grouping columns, ``n``), created by a
migration that calls :func:`install`.

A grouping column may be an expression of the counted row: ``("is_member",
"party_member_since IS NOT NULL")``.

The counted rows of a unit are those whose unit lies in its subtree: the unit's ancestors
are read from its materialized path (``org_path_prefixes``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

PREFIXES_SQL = """
CREATE OR REPLACE FUNCTION org_path_prefixes(p text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(array_to_string(parts[1:i], '/') || '/' ORDER BY i), '{}')
    FROM (SELECT string_to_array(rtrim(p, '/'), '/') AS parts) AS s,
         generate_series(1, coalesce(array_length(parts, 1), 0)) AS i
$$;
"""


@dataclass(frozen=True)
class Tally:
    """``table`` counts the rows of ``source`` by ``unit_column`` (a unit id) and
    ``columns``; its own columns are ``unit_id``, ``columns`` and ``n``, unique together
    but for ``n``."""

    table: str
    source: str
    unit_column: str
    columns: tuple[str | tuple[str, str], ...]

    @property
    def names(self) -> list[str]:
        return [c if isinstance(c, str) else c[0] for c in self.columns]

    def _grouped(self, rows: str, sign: str) -> str:
        exprs = [c if isinstance(c, str) else c[1] for c in self.columns]
        selected = ", ".join(f"{e} AS {n}" for e, n in zip(exprs, self.names, strict=True))
        return (
            f"SELECT {self.unit_column} AS unit_id, {selected}, {sign}count(*) AS n "
            f"FROM {rows} GROUP BY {self.unit_column}, {', '.join(exprs)}"
        )

    def _add(self, changes: str) -> str:
        """Add the grouped ``changes`` (unit_id, columns, n) to every ancestor's counts."""
        cols = ", ".join(self.names)
        g_cols = ", ".join(f"g.{c}" for c in self.names)
        return f"""
            INSERT INTO {self.table} AS t (unit_id, {cols}, n)
            SELECT a.id, {g_cols}, sum(g.n) FROM ({changes}) AS g
            JOIN org_orgunit AS u ON u.id = g.unit_id
            JOIN org_orgunit AS a ON a.path = ANY(org_path_prefixes(u.path) COLLATE "C")
            GROUP BY a.id, {g_cols}
            HAVING sum(g.n) <> 0
            ON CONFLICT (unit_id, {cols}) DO UPDATE SET n = t.n + EXCLUDED.n;
        """

    def sql(self) -> list[str]:
        """The functions and triggers (idempotent), the tally filled from scratch."""
        t, source = self.table, self.source
        cols = ", ".join(self.names)
        changed = (
            f"SELECT unit_id, {cols}, sum(n) AS n FROM ("
            f"{self._grouped('old_rows', '-')} UNION ALL {self._grouped('new_rows', '')}"
            f") AS c GROUP BY unit_id, {cols}"
        )
        return [
            PREFIXES_SQL,
            f"""
            CREATE OR REPLACE FUNCTION {t}_apply() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'INSERT' THEN {self._add(self._grouped("new_rows", ""))}
                ELSIF TG_OP = 'DELETE' THEN {self._add(self._grouped("old_rows", "-"))}
                ELSE {self._add(changed)}
                END IF;
                RETURN NULL;
            END $$;
            """,
            f"""
            CREATE OR REPLACE FUNCTION {t}_rebuild() RETURNS void LANGUAGE plpgsql AS $$
            BEGIN
                DELETE FROM {t};
                {self._add(self._grouped(source, ""))}
            END $$;
            """,
            f"""
            CREATE OR REPLACE FUNCTION {t}_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                DELETE FROM {t};
                RETURN NULL;
            END $$;
            """,
            f"""
            CREATE OR REPLACE FUNCTION {t}_moved() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                -- Once per transaction: every moved unit's trigger fires at commit.
                IF current_setting('longbien.{t}_rebuilt', true)
                        IS DISTINCT FROM txid_current()::text THEN
                    PERFORM {t}_rebuild();
                    PERFORM set_config('longbien.{t}_rebuilt', txid_current()::text, true);
                END IF;
                RETURN NULL;
            END $$;
            """,
            f"DROP TRIGGER IF EXISTS {t}_inserted ON {source}",
            f"CREATE TRIGGER {t}_inserted AFTER INSERT ON {source} REFERENCING NEW TABLE AS "
            f"new_rows FOR EACH STATEMENT EXECUTE FUNCTION {t}_apply()",
            f"DROP TRIGGER IF EXISTS {t}_updated ON {source}",
            f"CREATE TRIGGER {t}_updated AFTER UPDATE ON {source} REFERENCING OLD TABLE AS "
            f"old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {t}_apply()",
            f"DROP TRIGGER IF EXISTS {t}_deleted ON {source}",
            f"CREATE TRIGGER {t}_deleted AFTER DELETE ON {source} REFERENCING OLD TABLE AS "
            f"old_rows FOR EACH STATEMENT EXECUTE FUNCTION {t}_apply()",
            f"DROP TRIGGER IF EXISTS {t}_truncated ON {source}",
            f"CREATE TRIGGER {t}_truncated AFTER TRUNCATE ON {source} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {t}_truncated()",
            f"DROP TRIGGER IF EXISTS {t}_moved ON org_orgunit",
            f"CREATE CONSTRAINT TRIGGER {t}_moved AFTER UPDATE OF path ON org_orgunit "
            f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
            f"WHEN (OLD.path IS DISTINCT FROM NEW.path) EXECUTE FUNCTION {t}_moved()",
            f"SELECT {t}_rebuild()",
        ]

    def drop_sql(self) -> list[str]:
        t = self.table
        return [
            *(f"DROP TRIGGER IF EXISTS {t}_{event} ON {self.source}"
              for event in ("inserted", "updated", "deleted", "truncated")),
            f"DROP TRIGGER IF EXISTS {t}_moved ON org_orgunit",
            *(f"DROP FUNCTION IF EXISTS {t}_{name}()"
              for name in ("apply", "rebuild", "truncated", "moved")),
        ]  # fmt: skip


class TallyModel(models.Model):
    """A tally's table: ``unit`` (whose whole subtree is counted), the grouping columns (the
    concrete model declares them, named as in its :attr:`tally`) and ``n``. Kept by
    PostgreSQL: never written by the portal's code."""

    tally: ClassVar[Tally]

    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="+"
    )
    n = models.IntegerField(_("số bản ghi"))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        grouped = " ".join(str(getattr(self, name)) for name in self.tally.names)
        return f"{self.unit_id} {grouped}: {self.n}"


def install(tally: Tally) -> Any:
    """A migration operation that installs ``tally`` (and drops it when unapplied)."""
    from django.db import migrations

    def forwards(apps: Any, schema_editor: Any) -> None:
        for statement in tally.sql():
            schema_editor.execute(statement)

    def backwards(apps: Any, schema_editor: Any) -> None:
        for statement in tally.drop_sql():
            schema_editor.execute(statement)

    return migrations.RunPython(forwards, backwards)
