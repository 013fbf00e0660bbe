#!/bin/sh
# Debian programs some tests drive, which npm cannot bring: Chromium for the browser tests
# (playwright cannot download a browser here), PgBouncer for the topology test.
# Usage: ensure-debian-packages.sh PACKAGE=PROGRAM...  (e.g. chromium=/usr/bin/chromium)
# Installs the packages whose program is missing when this is a Debian machine we may
# administer; otherwise says how.
set -eu
missing=""
for pair in "$@"; do
  package=${pair%%=*}
  program=${pair#*=}
  [ -x "$program" ] || missing="$missing $package"
done
[ -z "$missing" ] && exit 0
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "Installing Debian's$missing for the tests…"
  # shellcheck disable=SC2086 # one word per package
  apt-get install -y -qq $missing >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq $missing; }
  exit 0
fi
echo "The tests need Debian's$missing: run 'sudo apt-get install -y$missing'." >&2
exit 1
