#!/bin/bash
# Initialises PGDATA on first start (as the official image does), then runs postgres in the foreground
# as the postgres user. Extra arguments go to postgres (e.g. -c fsync=off).
set -euo pipefail
user="${POSTGRES_USER:-postgres}" db="${POSTGRES_DB:-${POSTGRES_USER:-postgres}}"
auth="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}"
[[ -n "${POSTGRES_PASSWORD:-}" || "$auth" == trust ]] || { echo "set POSTGRES_PASSWORD or POSTGRES_HOST_AUTH_METHOD=trust" >&2; exit 1; }
mkdir -p "$PGDATA" /run/postgresql && chown postgres:postgres "$PGDATA" /run/postgresql && chmod 700 "$PGDATA"
if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
  pw=()
  if [[ -n "${POSTGRES_PASSWORD:-}" ]]; then
    pwfile="$(mktemp)"; printf '%s' "$POSTGRES_PASSWORD" > "$pwfile"; chown postgres "$pwfile"; pw=(--pwfile="$pwfile")
  fi
  runuser -u postgres -- initdb -D "$PGDATA" -U "$user" "${pw[@]}" -A "$auth" -E UTF8 --locale=C.UTF-8 >/dev/null
  [[ -z "${pwfile:-}" ]] || rm -f "$pwfile"
  echo "host all all all $auth" >> "$PGDATA/pg_hba.conf"
  echo "listen_addresses = '*'" >> "$PGDATA/postgresql.conf"
  if [[ "$db" != postgres ]]; then
    runuser -u postgres -- postgres --single -D "$PGDATA" postgres <<< "CREATE DATABASE \"$db\" OWNER \"$user\";" >/dev/null
  fi
fi
exec runuser -u postgres -- postgres -D "$PGDATA" "$@"
