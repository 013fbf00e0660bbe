#!/bin/sh
# The Swagger UI test drives Debian's Chromium (playwright cannot download a browser here).
# Installs it when missing and this is a Debian machine we may administer; otherwise says how.
set -eu
CHROMIUM=/usr/bin/chromium
[ -x "$CHROMIUM" ] && exit 0
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "Installing Debian's chromium for the browser test…"
  apt-get install -y -qq chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium; }
  exit 0
fi
echo "The browser test needs Debian's Chromium at $CHROMIUM: run 'sudo apt-get install -y chromium'." >&2
exit 1
