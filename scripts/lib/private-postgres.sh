# Sourced by scripts/test and scripts/bench: starts a private, throw-away PostgreSQL cluster
# from Debian's `postgresql` package (installed if missing) in a temporary directory, on a
# random free loopback port, and removes it when the calling script exits.
#
#   start_private_postgres [--tls] [SERVER OPTION...]   e.g. -c fsync=off
#
# sets PRIVATE_POSTGRES_URL (postgres://postgres@127.0.0.1:PORT, trust authentication:
# nothing but this machine can reach it). initdb refuses to run as root, so as root the
# cluster belongs to the `postgres` user that Debian's package creates. It may be called
# more than once; every cluster is removed at exit.
#
# With --tls the cluster has ssl=on, with a certificate for the name `localhost` (only)
# signed by a CA made here: PRIVATE_POSTGRES_URL names the server as localhost, and
# PRIVATE_POSTGRES_CA is the CA's certificate, for sslrootcert.
#
# If the server does not start (another program took the port after it was found free, or
# a busy machine), its log is printed and it is tried again on another port.
# PRIVATE_POSTGRES_PORT, if set, is the port tried first (scripts/lib/test-private-postgres
# uses it to take that port away on purpose).

PRIVATE_POSTGRES_CLUSTERS=()

postgres_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

free_loopback_port() {
  local port=$((20000 + RANDOM % 40000))
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    port=$((20000 + RANDOM % 40000))
  done
  echo "$port"
}

# A CA, and a certificate for `localhost` that it signs, in directory $1.
make_test_certificates() {
  local dir="$1"
  mkdir -p "$dir"
  openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -days 2 \
    -subj "/CN=Mariposa test CA" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
  openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
    -subj "/O=Mariposa test server" -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
  printf 'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n' >"$dir/server.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
    -CAcreateserial -days 2 -extfile "$dir/server.ext" -out "$dir/server.crt" 2>/dev/null
  # PostgreSQL refuses a key that others can read.
  chmod 600 "$dir/server.key" "$dir/ca.key"
}

start_private_postgres() {
  local sudo="" bin cluster port tls="" host=127.0.0.1 attempt options
  local owner=()
  if [ "${1:-}" = "--tls" ]; then
    tls=yes
    shift
  fi
  options="$*"
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  if [ -z "$(postgres_bin)" ] || [ ! -x "$(postgres_bin)/initdb" ]; then
    echo "Installing postgresql from Debian's packages..."
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql
  fi
  bin="$(postgres_bin)"
  cluster="$(mktemp -d /tmp/mariposa-pg.XXXXXX)"
  if [ -n "$tls" ]; then
    make_test_certificates "$cluster/tls"
    options="-c ssl=on -c ssl_cert_file=$cluster/tls/server.crt -c ssl_key_file=$cluster/tls/server.key $options"
    host=localhost
  fi
  if [ "$(id -u)" -eq 0 ]; then
    chown -R postgres: "$cluster"
    owner=(runuser -u postgres --)
  fi
  PRIVATE_POSTGRES_BIN="$bin"
  PRIVATE_POSTGRES_OWNER=("${owner[@]}")
  PRIVATE_POSTGRES_CLUSTERS+=("$cluster")
  trap stop_private_postgres EXIT

  if ! "${owner[@]}" "$bin/initdb" -D "$cluster/data" -U postgres --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$cluster/initdb.log" 2>&1; then
    echo "== initdb failed; its log ($cluster/initdb.log):" >&2
    cat "$cluster/initdb.log" >&2
    return 1
  fi
  port="${PRIVATE_POSTGRES_PORT:-$(free_loopback_port)}"
  for attempt in 1 2 3; do
    if "${owner[@]}" "$bin/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w -t 120 \
      -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$cluster $options" \
      start >/dev/null 2>"$cluster/pg_ctl.log"; then
      PRIVATE_POSTGRES_URL="postgres://postgres@$host:$port"
      PRIVATE_POSTGRES_CA="${tls:+$cluster/tls/ca.pem}"
      echo "== PostgreSQL $("$bin/postgres" --version | awk '{print $3}') at $host:$port${tls:+ (TLS)}"
      return 0
    fi
    {
      echo "== PostgreSQL did not start on port $port (attempt $attempt of 3): $(head -n 1 "$cluster/pg_ctl.log")"
      echo "== its log ($cluster/server.log):"
      cat "$cluster/server.log"
      echo "== initdb's log ($cluster/initdb.log):"
      cat "$cluster/initdb.log"
    } >&2
    # A server that was slow to start may still be coming up: stop it before the next try.
    "${owner[@]}" "$bin/pg_ctl" -D "$cluster/data" -m immediate stop >/dev/null 2>&1 || true
    rm -f "$cluster/server.log"
    port="$(free_loopback_port)"
  done
  return 1
}

stop_private_postgres() {
  local cluster
  for cluster in "${PRIVATE_POSTGRES_CLUSTERS[@]}"; do
    "${PRIVATE_POSTGRES_OWNER[@]}" "$PRIVATE_POSTGRES_BIN/pg_ctl" -D "$cluster/data" \
      -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$cluster"
  done
}
