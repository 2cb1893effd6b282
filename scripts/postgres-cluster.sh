#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the test suites, on 127.0.0.1 only.
#
#   postgres-cluster.sh start [ENVFILE]  create + start a cluster in a fresh temp dir; print
#                                        `export FW_TEST_DATABASE_URL=…` and
#                                        `export FW_PG_CLUSTER_DIR=…`, or write them to ENVFILE
#                                        (then nothing is printed: the URL holds a password)
#   postgres-cluster.sh stop [DIR]       stop the cluster and delete its directory
#   postgres-cluster.sh halt DIR         stop the server, keep the data (outage tests)
#   postgres-cluster.sh resume DIR       start a halted cluster again on the same port
#
# DIR defaults to $FW_PG_CLUSTER_DIR. Installs PostgreSQL with apt-get when no initdb is found.
# As root, initdb/pg_ctl run as the `postgres` user (initdb refuses to run as root).
#
# Throwaway on purpose: fsync=off and synchronous_commit=off make the suites fast, and a crash
# of this machine may corrupt the cluster — never point this script at data you want to keep.
# Authentication is scram-sha-256 with a random password, so the tests exercise a URL that
# carries a password (and can check that it never leaks into error messages).
set -euo pipefail

log() { echo "postgres-cluster: $*" >&2; }

find_bindir() {
  local dir
  if command -v pg_config >/dev/null 2>&1 && [[ -x "$(pg_config --bindir)/initdb" ]]; then
    pg_config --bindir
    return
  fi
  # Debian keeps the server binaries out of PATH, one directory per major version: take the newest.
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [[ -x "$dir/initdb" ]]; then
      echo "$dir"
      return
    fi
  done
  if command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
  fi
}

install_postgres() {
  if [[ $EUID -ne 0 ]]; then
    log "initdb not found and not root: install PostgreSQL (apt-get install postgresql) first"
    exit 1
  fi
  log "initdb not found: installing PostgreSQL with apt-get"
  # Debian's package would create and start a "main" cluster on port 5432 that nobody here uses.
  mkdir -p /etc/postgresql-common/createcluster.d
  echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.d/feedback-webhooks.conf
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
}

# Runs a server binary as the cluster's owner.
as_owner() {
  if [[ $EUID -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

bindir() {
  local dir
  dir="$(find_bindir)"
  if [[ -z "$dir" ]]; then
    install_postgres
    dir="$(find_bindir)"
  fi
  [[ -n "$dir" ]] || { log "no initdb after installing PostgreSQL"; exit 1; }
  echo "$dir"
}

server_start() {
  local bin="$1" dir="$2"
  if ! as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null; then
    log "server did not start; last lines of its log:"
    tail -n 20 "$dir/server.log" >&2 || true
    return 1
  fi
}

cmd_start() {
  local envfile="${1:-}" bin dir password port url attempt
  bin="$(bindir)"
  dir="$(mktemp -d "${TMPDIR:-/tmp}/fw-pg.XXXXXX")"
  chmod 755 "$dir"
  [[ $EUID -eq 0 ]] && chown postgres: "$dir"
  password="$(node -e 'console.log(require("crypto").randomBytes(18).toString("hex"))')"
  echo "$password" >"$dir/pwfile"
  [[ $EUID -eq 0 ]] && chown postgres: "$dir/pwfile"
  as_owner "$bin/initdb" -D "$dir/data" -U fw --pwfile="$dir/pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$dir/pwfile"
  # A port can be taken between choosing and binding it: try a few. Each try appends its
  # settings; in postgresql.conf the last occurrence of a setting wins.
  for attempt in 1 2 3 4 5; do
    port="$(free_port)"
    cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
    if server_start "$bin" "$dir"; then break; fi
    [[ $attempt -eq 5 ]] && { log "giving up"; exit 1; }
  done
  url="postgres://fw:${password}@127.0.0.1:${port}/postgres"
  local lines="export FW_TEST_DATABASE_URL=$url
export FW_PG_CLUSTER_DIR=$dir"
  if [[ -n "$envfile" ]]; then
    # The URL carries the (throwaway) password: keep it out of CI logs and the file private.
    (umask 077 && echo "$lines" >"$envfile")
  else
    echo "$lines"
  fi
  log "started on 127.0.0.1:$port (data in $dir)"
}

cluster_dir() {
  local dir="${1:-${FW_PG_CLUSTER_DIR:-}}"
  [[ -n "$dir" && -d "$dir/data" ]] || { log "no cluster directory given (argument or FW_PG_CLUSTER_DIR)"; exit 1; }
  echo "$dir"
}

cmd_halt() {
  local dir bin
  dir="$(cluster_dir "${1:-}")"
  bin="$(bindir)"
  # fast: disconnect clients and stop now, as an operator or a crash would from their view.
  as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
}

cmd_resume() {
  local dir bin
  dir="$(cluster_dir "${1:-}")"
  bin="$(bindir)"
  server_start "$bin" "$dir"
}

cmd_stop() {
  local dir bin
  dir="$(cluster_dir "${1:-}")"
  bin="$(bindir)"
  if [[ -f "$dir/data/postmaster.pid" ]]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 60 stop >/dev/null || true
  fi
  rm -rf "$dir"
  log "stopped and removed $dir"
}

case "${1:-}" in
  start) cmd_start "${2:-}" ;;
  stop) cmd_stop "${2:-}" ;;
  halt) cmd_halt "${2:-}" ;;
  resume) cmd_resume "${2:-}" ;;
  *)
    echo "usage: $0 start [ENVFILE] | stop [DIR] | halt [DIR] | resume [DIR]" >&2
    exit 2
    ;;
esac
