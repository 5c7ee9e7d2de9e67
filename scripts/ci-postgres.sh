#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the dashboard's PostgreSQL tests and prints the
# JDBC URL to export. Debian bookworm (postgresql 15); installs the package when missing.
#
#   eval "$(scripts/ci-postgres.sh start)"   # sets CANDOR_TEST_PG_URL
#   mvn -B -ntp test -pl dashboard -am       # ReviewStorePostgresTest now runs
#   scripts/ci-postgres.sh stop
#
# Runs as root (CI); the cluster itself runs as the postgres user, trust auth on 127.0.0.1 only,
# data under ${CANDOR_PG_DIR:-/tmp/candor-pg}, port ${CANDOR_PG_PORT:-55432}.
set -euo pipefail

DIR="${CANDOR_PG_DIR:-/tmp/candor-pg}"
PORT="${CANDOR_PG_PORT:-55432}"
DB=candor_test

bindir() {
  local b
  b="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
  if [[ -z "$b" ]]; then
    echo "installing postgresql ..." >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    b="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  fi
  echo "$b"
}

as_pg() {
  if [[ "$(id -un)" == postgres ]]; then "$@"; else runuser -u postgres -- "$@"; fi
}

case "${1:-start}" in
  start)
    BIN="$(bindir)"
    if [[ -f "$DIR/data/postmaster.pid" ]] && as_pg "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
      echo "# already running" >&2
    else
      rm -rf "$DIR"
      mkdir -p "$DIR"
      chown postgres:postgres "$DIR" 2>/dev/null || true
      as_pg "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
      as_pg "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w \
        -o "-p $PORT -c listen_addresses=127.0.0.1 -k $DIR -c fsync=off" start >/dev/null
      as_pg "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres "$DB"
    fi
    echo "export CANDOR_TEST_PG_URL='jdbc:postgresql://127.0.0.1:$PORT/$DB?user=postgres'"
    ;;
  stop)
    BIN="$(bindir)"
    if [[ -d "$DIR/data" ]]; then
      as_pg "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null || true
      rm -rf "$DIR"
    fi
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
