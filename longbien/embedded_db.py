"""Start the embedded PostgreSQL (pgserver) when no DATABASE_URL is given.

The data lives in ``var/pgdata`` inside the project, which git ignores. The server keeps
running after the process that started it exits, so runserver's reloader, Celery and the
test runner all share one instance.
"""

from __future__ import annotations

from pathlib import Path


def embedded_database_url(base_dir: Path) -> str:
    """Return a DATABASE_URL for the embedded server, starting it if needed."""
    import warnings

    warnings.filterwarnings("ignore", module="platformdirs")
    import pgserver

    data_dir = base_dir / "var" / "pgdata"
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(data_dir, cleanup_mode=None)
    socket_dir = server.get_postmaster_info().socket_dir
    return f"postgres://postgres@/postgres?host={socket_dir}"
