# The machine's PostgreSQL and Redis on 127.0.0.1, started if stopped: sourced by .ci/run and gatling/run-ci.
# Each function returns 1 (and says so) when the service is not installed or never comes up; callers
# decide whether that is fatal. The caller defines log().

has_local_postgres() { command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; }
has_local_redis() { command -v redis-server >/dev/null 2>&1; }

await_backend() { # await_backend <what> <command...>: up to 30 s
  local what=$1; shift
  for _ in $(seq 1 150); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  log "$what did not come up within 30 s"; return 1
}

ensure_postgres() { # ensure_postgres <database>: PostgreSQL up on 127.0.0.1:5432, with <database> created
  local database=$1
  has_local_postgres || { log "no local PostgreSQL (pg_ctlcluster)"; return 1; }
  if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
    log "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start
    await_backend PostgreSQL pg_isready -h 127.0.0.1 -p 5432 -q || return 1
  fi
  if ! psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1; then
    log "creating database $database"
    createdb -h 127.0.0.1 -U postgres "$database"
  fi
}

ensure_redis() { # ensure_redis: Redis up on 127.0.0.1:6379
  has_local_redis || { log "no local Redis (redis-server)"; return 1; }
  if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    log "starting Redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
    await_backend Redis redis-cli -h 127.0.0.1 -p 6379 ping || return 1
  fi
}
