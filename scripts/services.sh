#!/usr/bin/env bash
# Starts the local services the tests use, where they are installed but down:
# PostgreSQL, MariaDB and Redis.  Installs the system packages the tests need.
set -uo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }

need_apt=()
command -v mariadb_config >/dev/null 2>&1 || command -v mysql_config >/dev/null 2>&1 \
  || need_apt+=(libmariadb-dev pkg-config)
# Headless Chromium for the browser tests (tests/browser), driven by Playwright.
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ] && command -v apt-get >/dev/null 2>&1; then
  as_root apt-get update -qq >/dev/null 2>&1 || true
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -q -h 127.0.0.1 -p 5432; then
  as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
fi
if command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ]; then
  if ! mariadb-admin -h 127.0.0.1 -uroot status >/dev/null 2>&1; then
    as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd || true
  fi
fi
if command -v redis-server >/dev/null 2>&1 && ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  as_root redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /tmp >/dev/null || true
fi

# Wait until each service that is installed answers.
for _ in $(seq 1 30); do
  ok=1
  command -v pg_isready >/dev/null 2>&1 && ! pg_isready -q -h 127.0.0.1 -p 5432 && ok=0
  command -v mariadb-admin >/dev/null 2>&1 && ! mariadb-admin -h 127.0.0.1 -uroot status >/dev/null 2>&1 && ok=0
  command -v redis-cli >/dev/null 2>&1 && ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && ok=0
  [ $ok = 1 ] && exit 0
  sleep 1
done
echo "services.sh: PostgreSQL, MariaDB or Redis did not start in time" >&2
exit 1
