# Sourced by scripts/test and scripts/bench: starts a private, throw-away PostgreSQL cluster
# from Debian's `postgresql` package (installed if missing) in a temporary directory, on a
# random free loopback port, and removes it when the calling script exits.
#
#   start_private_postgres [SERVER OPTION...]   e.g. -c fsync=off
#
# sets PRIVATE_POSTGRES_URL (postgres://postgres@127.0.0.1:PORT, trust authentication:
# nothing but this machine can reach it). initdb refuses to run as root, so as root the
# cluster belongs to the `postgres` user that Debian's package creates.

postgres_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

start_private_postgres() {
  local sudo="" bin cluster port
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  if [ -z "$(postgres_bin)" ] || [ ! -x "$(postgres_bin)/initdb" ]; then
    echo "Installing postgresql from Debian's packages..."
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql
  fi
  bin="$(postgres_bin)"
  cluster="$(mktemp -d /tmp/mariposa-pg.XXXXXX)"
  PRIVATE_POSTGRES_OWNER=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$cluster"
    PRIVATE_POSTGRES_OWNER=(runuser -u postgres --)
  fi
  PRIVATE_POSTGRES_BIN="$bin"
  PRIVATE_POSTGRES_DIR="$cluster"
  trap stop_private_postgres EXIT

  port=$((20000 + RANDOM % 40000))
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    port=$((20000 + RANDOM % 40000))
  done
  "${PRIVATE_POSTGRES_OWNER[@]}" "$bin/initdb" -D "$cluster/data" -U postgres --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$cluster/initdb.log"
  "${PRIVATE_POSTGRES_OWNER[@]}" "$bin/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$cluster $*" \
    start >/dev/null
  PRIVATE_POSTGRES_URL="postgres://postgres@127.0.0.1:$port"
  echo "== PostgreSQL $("$bin/postgres" --version | awk '{print $3}') at 127.0.0.1:$port"
}

stop_private_postgres() {
  "${PRIVATE_POSTGRES_OWNER[@]}" "$PRIVATE_POSTGRES_BIN/pg_ctl" -D "$PRIVATE_POSTGRES_DIR/data" \
    -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PRIVATE_POSTGRES_DIR"
}
