#!/bin/sh
# Run once by the postgres image when the primary's data folder is created: lets the replica
# stream the write-ahead log with the same (password-checked) account.
set -e
echo "host replication ${POSTGRES_USER} all scram-sha-256" >> "$PGDATA/pg_hba.conf"
