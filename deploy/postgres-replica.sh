#!/bin/sh
# The streaming read replica: on first start, copy the primary (pg_basebackup writes the
# standby settings with -R), then run PostgreSQL as the image always does.
set -e
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    until pg_isready --host=db --username="$POSTGRES_USER"; do sleep 1; done
    mkdir -p "$PGDATA"
    PGPASSWORD="$POSTGRES_PASSWORD" pg_basebackup --host=db --username="$POSTGRES_USER" \
        --pgdata="$PGDATA" --wal-method=stream --write-recovery-conf --checkpoint=fast
    chown -R postgres:postgres "$PGDATA"
    chmod 700 "$PGDATA"
fi
exec docker-entrypoint.sh postgres
