#!/usr/bin/env bash
# Runs a command beside a PostgreSQL server of its own, then stops the server and removes it.
#
#   scripts/postgres.sh COMMAND [ARGUMENT...]
#
# Installs Debian's `postgresql` when no server binaries are present. Makes a new cluster in a temporary folder,
# owned by an unprivileged account (`nobody` when run as root: PostgreSQL refuses to run as root), and starts it
# on a free port of 127.0.0.1 only, with its socket in that folder. Two login roles with random passwords, as a
# pharmacy would have them:
#   compound_owner  owns the databases and runs the migrations (CREATEDB, so each test makes its own database);
#   compound        what a station connects as: the migrations grant it no UPDATE or DELETE on the records.
# The server speaks TLS with a certificate for the name localhost (only: not for the address 127.0.0.1) from a
# certificate authority made for the run, so that every sslmode can be tried against it. COMMAND then runs with
#   COMPOUND_TEST_POSTGRES=postgresql://compound_owner@127.0.0.1:PORT/postgres
#   PGPASSFILE=<folder>/pgpass   (both roles' passwords, as libpq's ~/.pgpass)
#   COMPOUND_TEST_POSTGRES_CA=<folder>/ca.pem          (the authority that signed the server's certificate)
#   COMPOUND_TEST_POSTGRES_OTHER_CA=<folder>/other.pem (an authority that did not)
# and this script exits with COMMAND's status. The server stops and the folder goes however COMMAND ends.
set -euo pipefail

if (($# == 0)); then
  echo "usage: scripts/postgres.sh COMMAND [ARGUMENT...]" >&2
  exit 2
fi

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
bin=$(find_bin)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "postgres: installing postgresql"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >/dev/null
  $sudo apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  bin=$(find_bin)
fi

folder=$(mktemp -d /tmp/compound-postgres.XXXXXX)
chmod 0755 "$folder"
as=()
if [ "$(id -u)" -eq 0 ]; then
  chown nobody:nogroup "$folder"
  as=(runuser -u nobody --)
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
secret() { python3 -c 'import secrets; print(secrets.token_hex(16))'; }
superuser=$(secret)
owner=$(secret)
station=$(secret)

stop() {
  "${as[@]}" "$bin/pg_ctl" -D "$folder/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$folder"
}
trap stop EXIT

"${as[@]}" bash -c "umask 077 && printf '%s\n' '$superuser' > '$folder/superuser'"
# The run's certificate authorities and the server's certificate (its key readable by the server's account only).
tls() { "${as[@]}" openssl "$@" >>"$folder/tls.log" 2>&1 || { cat "$folder/tls.log" >&2; exit 1; }; }
tls req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=compound test authority" \
  -keyout "$folder/ca.key" -out "$folder/ca.pem"
tls req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=another authority" \
  -keyout "$folder/other.key" -out "$folder/other.pem"
tls req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$folder/server.key" -out "$folder/server.csr"
"${as[@]}" bash -c "printf 'subjectAltName=DNS:localhost\n' > '$folder/server.ext'"
tls x509 -req -days 2 -in "$folder/server.csr" -CA "$folder/ca.pem" -CAkey "$folder/ca.key" -CAcreateserial \
  -extfile "$folder/server.ext" -out "$folder/server.crt"
"${as[@]}" chmod 0600 "$folder/server.key"
"${as[@]}" "$bin/initdb" -D "$folder/data" -U postgres -E UTF8 --locale=C.UTF-8 --auth-local=trust \
  --auth-host=scram-sha-256 --pwfile="$folder/superuser" >"$folder/initdb.log" 2>&1 \
  || { cat "$folder/initdb.log" >&2; exit 1; }
if ! "${as[@]}" "$bin/pg_ctl" -D "$folder/data" -l "$folder/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $folder -c max_connections=200 -c fsync=off -c ssl=on \
-c ssl_cert_file=$folder/server.crt -c ssl_key_file=$folder/server.key" start >/dev/null; then
  cat "$folder/server.log" >&2
  exit 1
fi
"${as[@]}" "$bin/psql" -q -X -v ON_ERROR_STOP=1 -h "$folder" -p "$port" -U postgres -d postgres <<SQL
CREATE ROLE compound_owner LOGIN CREATEDB PASSWORD '$owner';
CREATE ROLE compound LOGIN PASSWORD '$station';
SQL

pgpass="$folder/pgpass"
for host in 127.0.0.1 localhost; do
  printf '%s:%s:*:compound_owner:%s\n%s:%s:*:compound:%s\n' "$host" "$port" "$owner" "$host" "$port" "$station"
done >"$pgpass"
chmod 0600 "$pgpass"
echo "postgres: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port for this run"

set +e
COMPOUND_TEST_POSTGRES="postgresql://compound_owner@127.0.0.1:$port/postgres" PGPASSFILE="$pgpass" \
  COMPOUND_TEST_POSTGRES_CA="$folder/ca.pem" COMPOUND_TEST_POSTGRES_OTHER_CA="$folder/other.pem" \
  PGBIN="$bin" "$@"
status=$?
set -e
exit $status
