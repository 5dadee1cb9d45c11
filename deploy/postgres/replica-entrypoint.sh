#!/bin/sh
# The postgres-replica service: on first start, copy the primary
# (pg_basebackup -R writes standby.signal and the connection to stream from);
# then run as a hot standby that answers reads only.
set -eu
: "${PRIMARY_HOST:?}" "${REPLICATION_PASSWORD:?}" "${PGDATA:?}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    echo "Copying the primary at $PRIMARY_HOST into $PGDATA"
    PGPASSWORD="$REPLICATION_PASSWORD" pg_basebackup \
        --host="$PRIMARY_HOST" --username=replicator --pgdata="$PGDATA" \
        --write-recovery-conf --wal-method=stream --checkpoint=fast --progress
    chmod 700 "$PGDATA"
fi
exec postgres -c hot_standby=on
