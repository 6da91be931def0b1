#!/usr/bin/env bash
# Provision the PostgreSQL side of the vectorkit test suite on a Debian 12 machine:
#   PostgreSQL 15 running, pgvector >= 0.8 installed, role `vectorkit` + database
#   `vectorkit_test` with the `vector` extension, and our own PgBouncer on 127.0.0.1:6432.
# Idempotent. Logs go to stderr; stdout carries only `export NAME=value` lines, so:
#   eval "$(bash scripts/provision-postgres.sh)"
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/provision-postgres.sh [--force-rebuild] [--no-pgbouncer] [--help]

  --force-rebuild  rebuild and reinstall pgvector even if a new enough version is installed
  --no-pgbouncer   do not install/start PgBouncer (VECTORKIT_TEST_PGBOUNCER_URL is not printed)
  --help           show this help

Environment overrides (defaults in brackets):
  VECTORKIT_PG_CLUSTER      PostgreSQL 15 cluster name [main]
  VECTORKIT_PG_PORT         its port [5432]
  VECTORKIT_PGBOUNCER_PORT  port of our PgBouncer [6432]
  VECTORKIT_PGBOUNCER_DIR   state dir of our PgBouncer [/tmp/vectorkit-pgbouncer]
  VECTORKIT_PGVECTOR_SUITE  Debian suite whose pgvector source is built [trixie]

Prints on stdout:
  export VECTORKIT_TEST_DATABASE_URL=postgres://vectorkit@127.0.0.1:5432/vectorkit_test
  export VECTORKIT_TEST_PGBOUNCER_URL=postgres://vectorkit@127.0.0.1:6432/vectorkit_test
EOF
}

FORCE_REBUILD=0
WITH_PGBOUNCER=1
for arg in "$@"; do
  case "$arg" in
    --force-rebuild) FORCE_REBUILD=1 ;;
    --no-pgbouncer) WITH_PGBOUNCER=0 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "[provision] unknown argument: $arg" >&2; usage >&2; exit 2 ;;
  esac
done

# From here on everything a command prints goes to stderr; fd 3 is the real stdout.
exec 3>&1 1>&2

PG_VERSION=15
PG_CLUSTER="${VECTORKIT_PG_CLUSTER:-main}"
PG_PORT="${VECTORKIT_PG_PORT:-5432}"
PG_CONFIG="/usr/lib/postgresql/${PG_VERSION}/bin/pg_config"
PGVECTOR_MIN=0.8.0
PGVECTOR_SUITE="${VECTORKIT_PGVECTOR_SUITE:-trixie}"
DB_USER=vectorkit
DB_NAME=vectorkit_test
BOUNCER_PORT="${VECTORKIT_PGBOUNCER_PORT:-6432}"
BOUNCER_DIR="${VECTORKIT_PGBOUNCER_DIR:-/tmp/vectorkit-pgbouncer}"
DB_URL="postgres://${DB_USER}@127.0.0.1:${PG_PORT}/${DB_NAME}"
BOUNCER_URL="postgres://${DB_USER}@127.0.0.1:${BOUNCER_PORT}/${DB_NAME}"
CONTROL_FILE="/usr/share/postgresql/${PG_VERSION}/extension/vector.control"
export DEBIAN_FRONTEND=noninteractive
START_TS=$(date +%s)

log() { echo "[provision] $*"; }
die() { echo "[provision] ERROR: $*"; exit 1; }

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || die "not root and sudo is not available"
  SUDO=(sudo -n)
fi
as_root() { "${SUDO[@]}" "$@"; }
# Run a shell command line as the postgres OS user (peer auth over the unix socket).
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$1"; else sudo -n -u postgres sh -c "$1"; fi
}
# Run SQL (from the argument) as the postgres superuser in database $2 (default postgres).
admin_sql() {
  printf '%s\n' "$1" | as_postgres "PGOPTIONS='-c client_min_messages=warning' psql -X -q -At -v ON_ERROR_STOP=1 -p ${PG_PORT} -d ${2:-postgres}"
}
# Can we reach $1 as a client without any password?
url_answers() { PGCONNECT_TIMEOUT=5 PGPASSWORD='' psql -X -w -At "$1" -c 'select 1' >/dev/null 2>&1; }

# Run a command that leaves a daemon behind (postgres, pgbouncer) with none of our file
# descriptors and its output appended to log file $1. A daemon holding fd 3 (the caller's
# $(...) pipe) or a pipe leaked by a CI runner would make `eval "$(provision-postgres.sh)"` hang.
run_detached() {
  local logfile=$1
  shift
  (
    for fd in /proc/$BASHPID/fd/*; do
      fd=${fd##*/}
      if [ "$fd" -gt 2 ]; then eval "exec ${fd}>&-" 2>/dev/null || true; fi
    done
    "$@"
  ) </dev/null >>"$logfile" 2>&1
}

apt_updated=0
apt_install() {
  if [ "$apt_updated" -eq 0 ]; then
    log "apt-get update"
    as_root apt-get update -qq
    apt_updated=1
  fi
  log "apt-get install -y $*"
  # fd 3 closed: a service a postinst might start must not hold the caller's $(...) pipe
  as_root apt-get install -y -qq --no-install-recommends "$@" 3>&-
}

# ---------------------------------------------------------------- PostgreSQL server
if ! command -v pg_lsclusters >/dev/null || [ ! -x "/usr/lib/postgresql/${PG_VERSION}/bin/postgres" ]; then
  log "PostgreSQL ${PG_VERSION} not installed, installing postgresql-${PG_VERSION}"
  apt_install "postgresql-${PG_VERSION}" "postgresql-client-${PG_VERSION}"
fi
cluster_line=$(pg_lsclusters -h | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1==v && $2==c')
if [ -z "$cluster_line" ]; then
  log "cluster ${PG_VERSION}/${PG_CLUSTER} missing, creating it on port ${PG_PORT}"
  as_root pg_createcluster --port="$PG_PORT" "$PG_VERSION" "$PG_CLUSTER"
  cluster_line=$(pg_lsclusters -h | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1==v && $2==c')
fi
cluster_port=$(awk '{print $3}' <<<"$cluster_line")
cluster_status=$(awk '{print $4}' <<<"$cluster_line")
[ "$cluster_port" = "$PG_PORT" ] || die "cluster ${PG_VERSION}/${PG_CLUSTER} uses port ${cluster_port}, expected ${PG_PORT}"
if [ "$cluster_status" = online ]; then
  log "PostgreSQL ${PG_VERSION}/${PG_CLUSTER} already online on port ${PG_PORT}"
else
  log "PostgreSQL ${PG_VERSION}/${PG_CLUSTER} is ${cluster_status}, starting it"
  start_log=$(mktemp)
  rc=0
  run_detached "$start_log" as_root pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$PG_CLUSTER" start || rc=$?
  cat "$start_log"
  rm -f "$start_log"
  [ "$rc" -eq 0 ] || die "pg_ctlcluster start failed (exit ${rc})"
fi
for _ in $(seq 1 30); do
  as_postgres "pg_isready -q -p ${PG_PORT}" && break
  sleep 1
done
as_postgres "pg_isready -q -p ${PG_PORT}" || die "PostgreSQL does not accept connections on port ${PG_PORT}"

# ---------------------------------------------------------------- pgvector
installed_pgvector() {
  [ -f "$CONTROL_FILE" ] || return 0
  sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" "$CONTROL_FILE"
}
version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }

# URI of the main Debian archive, copied from this machine's apt sources: the first source
# (one-line or deb822 format) that serves this release's own suite with component main.
debian_archive_source() {
  local codename files=()
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  [ -n "$codename" ] || die "cannot read VERSION_CODENAME from /etc/os-release"
  [ -f /etc/apt/sources.list ] && files+=(/etc/apt/sources.list)
  for f in /etc/apt/sources.list.d/*.list; do [ -f "$f" ] && files+=("$f"); done
  if [ "${#files[@]}" -gt 0 ]; then
    # prints "URI<TAB>signed-by" for: deb [opts] URI suite comp...
    awk -v cn="$codename" '
      $1 == "deb" || $1 == "deb-src" {
        i = 2; sb = ""
        if ($2 ~ /^\[/) {
          while (i <= NF) { if ($i ~ /^\[?signed-by=/) { sb = $i; sub(/^\[?signed-by=/, "", sb); sub(/\]$/, "", sb) }
                            if ($i ~ /\]$/) break; i++ }
          i++
        }
        if ($(i + 1) != cn) next
        for (j = i + 2; j <= NF; j++) if ($j == "main") { print $i "\t" sb; next }
      }' "${files[@]}"
  fi
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk -v cn="$codename" '
      function flush(   n, k, u) {
        if ((" " types " ") ~ / deb / && tolower(enabled) != "no" && (" " suites " ") ~ (" " cn " ") \
            && (" " comps " ") ~ / main /) {
          n = split(uris, u, /[ \t]+/)
          for (k = 1; k <= n; k++) if (u[k] != "") print u[k] "\t" (sb ~ /^\// ? sb : "")
        }
        types = uris = suites = comps = sb = enabled = ""
      }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      /^[ \t]/ { next }   # continuation line (e.g. an inline key block)
      {
        key = tolower($0); sub(/:.*/, "", key)
        val = $0; sub(/^[^:]*:[ \t]*/, "", val); sub(/[ \t]+$/, "", val)
        if (key == "types") types = val; else if (key == "uris") uris = val
        else if (key == "suites") suites = val; else if (key == "components") comps = val
        else if (key == "signed-by") sb = val; else if (key == "enabled") enabled = val
      }
      END { flush() }' "$f"
  done
}

TMP_SOURCE=/etc/apt/sources.list.d/vectorkit-pgvector-src.list
WORK_DIR=""
cleanup() {
  local rc=$?
  [ "$rc" -eq 0 ] || log "FAILED (exit ${rc}); see the messages above"
  if [ -f "$TMP_SOURCE" ]; then
    log "removing temporary apt source ${TMP_SOURCE} (cleanup after failure) and refreshing apt lists"
    as_root rm -f "$TMP_SOURCE"
    as_root apt-get update -qq || true
  fi
  [ -n "$WORK_DIR" ] && rm -rf "$WORK_DIR"
  exit "$rc"
}
trap cleanup EXIT

build_pgvector() {
  local build_start source uri signed_by opts orig srcdir
  build_start=$(date +%s)
  source=$(debian_archive_source | head -n1)
  [ -n "$source" ] || die "no main Debian archive found in /etc/apt/sources.list{,.d/*}"
  uri=${source%%$'\t'*}
  signed_by=${source#*$'\t'}
  opts=""
  [ -n "$signed_by" ] && opts="[signed-by=${signed_by}] "
  log "building pgvector from the ${PGVECTOR_SUITE} source package; archive URI taken from apt sources: ${uri}"

  log "adding temporary apt source ${TMP_SOURCE}: deb-src ${opts}<archive> ${PGVECTOR_SUITE} main"
  printf 'deb-src %s%s %s main\n' "$opts" "$uri" "$PGVECTOR_SUITE" | as_root tee "$TMP_SOURCE" >/dev/null
  log "apt-get update (only the temporary source)"
  as_root apt-get update -qq -o Dir::Etc::sourcelist="$TMP_SOURCE" -o Dir::Etc::sourceparts=- \
    -o APT::Get::List-Cleanup=0

  WORK_DIR=$(mktemp -d /tmp/vectorkit-pgvector.XXXXXX)
  chmod 755 "$WORK_DIR"
  # let apt's unprivileged download sandbox write into the directory
  if [ "$(id -u)" -eq 0 ] && id _apt >/dev/null 2>&1; then chown _apt "$WORK_DIR"; fi
  log "apt-get source --download-only pgvector (into ${WORK_DIR})"
  (cd "$WORK_DIR" && apt-get source -qq --download-only pgvector)

  log "removing temporary apt source ${TMP_SOURCE} and refreshing apt lists"
  as_root rm -f "$TMP_SOURCE"
  as_root apt-get update -qq
  apt_updated=1

  orig=$(find "$WORK_DIR" -maxdepth 1 -name 'pgvector_*.orig.tar.*' | head -n1)
  [ -n "$orig" ] || die "no pgvector .orig tarball was downloaded"
  log "unpacking $(basename "$orig")"
  mkdir "$WORK_DIR/src"
  tar -xf "$orig" -C "$WORK_DIR/src"
  srcdir=$(find "$WORK_DIR/src" -mindepth 1 -maxdepth 1 -type d | head -n1)
  [ -f "$srcdir/Makefile" ] || die "unpacked pgvector source has no Makefile"

  local need=()
  dpkg -s "postgresql-server-dev-${PG_VERSION}" >/dev/null 2>&1 || need+=("postgresql-server-dev-${PG_VERSION}")
  { command -v make && command -v gcc; } >/dev/null || need+=(build-essential)
  if [ "${#need[@]}" -gt 0 ]; then
    apt_install "${need[@]}"
  else
    log "postgresql-server-dev-${PG_VERSION} and a compiler already installed"
  fi

  log "make && make install (PG_CONFIG=${PG_CONFIG})"
  make -s -C "$srcdir" -j"$(nproc)" PG_CONFIG="$PG_CONFIG"
  as_root make -s -C "$srcdir" install PG_CONFIG="$PG_CONFIG"
  rm -rf "$WORK_DIR"
  WORK_DIR=""
  log "pgvector $(installed_pgvector) built and installed in $(($(date +%s) - build_start))s"
}

current=$(installed_pgvector)
if [ "$FORCE_REBUILD" -eq 1 ]; then
  log "--force-rebuild given (installed: ${current:-none}), rebuilding pgvector"
  build_pgvector
elif [ -z "$current" ]; then
  log "pgvector not installed for PostgreSQL ${PG_VERSION}, building it"
  build_pgvector
elif ! version_ge "$current" "$PGVECTOR_MIN"; then
  log "pgvector ${current} is older than ${PGVECTOR_MIN}, rebuilding"
  build_pgvector
else
  log "pgvector ${current} already installed, skipping build"
fi
current=$(installed_pgvector)
version_ge "${current:-0}" "$PGVECTOR_MIN" || die "pgvector ${current:-none} installed, need >= ${PGVECTOR_MIN}"

# ---------------------------------------------------------------- role, database, extension
if [ "$(admin_sql "select 1 from pg_roles where rolname = '${DB_USER}'")" = 1 ]; then
  log "role ${DB_USER} exists, making sure it can log in as superuser"
  admin_sql "alter role ${DB_USER} with login superuser"
else
  log "creating role ${DB_USER} (login, superuser)"
  admin_sql "create role ${DB_USER} with login superuser"
fi
if [ "$(admin_sql "select 1 from pg_database where datname = '${DB_NAME}'")" = 1 ]; then
  log "database ${DB_NAME} exists, making sure ${DB_USER} owns it"
  admin_sql "alter database ${DB_NAME} owner to ${DB_USER}"
else
  log "creating database ${DB_NAME} owned by ${DB_USER}"
  admin_sql "create database ${DB_NAME} owner ${DB_USER}"
fi
admin_sql "create extension if not exists vector; alter extension vector update;" "$DB_NAME"
log "extension vector in ${DB_NAME}: $(admin_sql "select extversion from pg_extension where extname = 'vector'" "$DB_NAME")"

# The URLs carry no password: make sure the role gets in over TCP without one.
if url_answers "$DB_URL"; then
  log "${DB_USER} connects over 127.0.0.1:${PG_PORT} without a password"
else
  hba=$(admin_sql "show hba_file")
  log "${DB_USER} cannot connect over TCP without a password; adding trust rules for it to the top of ${hba}"
  tmp_hba=$(mktemp)
  {
    echo "# vectorkit test role (added by scripts/provision-postgres.sh)"
    echo "host all ${DB_USER} 127.0.0.1/32 trust"
    echo "host all ${DB_USER} ::1/128 trust"
    as_root cat "$hba"
  } >"$tmp_hba"
  as_root cp "$tmp_hba" "$hba"
  rm -f "$tmp_hba"
  admin_sql "select pg_reload_conf()" >/dev/null
  sleep 1
  url_answers "$DB_URL" || die "still cannot connect to ${DB_URL}"
fi

# ---------------------------------------------------------------- PgBouncer
start_pgbouncer() {
  local ini="$BOUNCER_DIR/pgbouncer.ini"
  as_root mkdir -p "$BOUNCER_DIR"
  cat <<EOF | as_root tee "$ini" >/dev/null
; written by scripts/provision-postgres.sh: vectorkit's own PgBouncer for pooler tests
[databases]
* = host=127.0.0.1 port=${PG_PORT}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${BOUNCER_PORT}
unix_socket_dir = ${BOUNCER_DIR}
auth_type = trust
auth_file = ${BOUNCER_DIR}/userlist.txt
admin_users = ${DB_USER}
pool_mode = transaction
max_client_conn = 200
default_pool_size = 5
ignore_startup_parameters = extra_float_digits,options
logfile = ${BOUNCER_DIR}/pgbouncer.log
pidfile = ${BOUNCER_DIR}/pgbouncer.pid
EOF
  echo "\"${DB_USER}\" \"\"" | as_root tee "$BOUNCER_DIR/userlist.txt" >/dev/null
  as_root chown -R postgres: "$BOUNCER_DIR"
  log "starting our PgBouncer as user postgres: pgbouncer -d ${ini}"
  : >"$BOUNCER_DIR/startup.log"
  run_detached "$BOUNCER_DIR/startup.log" as_postgres "pgbouncer -d '${ini}'" || {
    cat "$BOUNCER_DIR/startup.log"
    die "pgbouncer -d failed"
  }
  for _ in $(seq 1 20); do
    url_answers "$BOUNCER_URL" && return 0
    sleep 0.5
  done
  tail -n 20 "$BOUNCER_DIR/startup.log" "$BOUNCER_DIR/pgbouncer.log" || true
  die "PgBouncer did not answer on 127.0.0.1:${BOUNCER_PORT}"
}

if [ "$WITH_PGBOUNCER" -eq 1 ]; then
  if command -v pgbouncer >/dev/null; then
    log "pgbouncer $(pgbouncer --version | head -n1 | awk '{print $2}') already installed"
  else
    log "pgbouncer not installed"
    apt_install pgbouncer
  fi
  if url_answers "$BOUNCER_URL"; then
    log "a PgBouncer already answers on 127.0.0.1:${BOUNCER_PORT}, leaving it alone"
  else
    pidfile="$BOUNCER_DIR/pgbouncer.pid"
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      log "our PgBouncer (pid $(cat "$pidfile")) runs but does not answer, restarting it"
      kill "$(cat "$pidfile")"
      sleep 1
    fi
    if ss -Hltn "sport = :${BOUNCER_PORT}" 2>/dev/null | grep -q .; then
      die "port ${BOUNCER_PORT} is taken by something that is not a working PgBouncer for ${DB_NAME}"
    fi
    start_pgbouncer
  fi
  log "query through PgBouncer ok: $(psql -X -w -At "$BOUNCER_URL" -c 'select current_database()')"
else
  log "--no-pgbouncer given, skipping PgBouncer"
fi

log "done in $(($(date +%s) - START_TS))s"
echo "export VECTORKIT_TEST_DATABASE_URL=${DB_URL}" >&3
[ "$WITH_PGBOUNCER" -eq 1 ] && echo "export VECTORKIT_TEST_PGBOUNCER_URL=${BOUNCER_URL}" >&3
exit 0
