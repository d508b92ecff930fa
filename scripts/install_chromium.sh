#!/bin/sh
# Install Debian's Chromium for the browser tests when it is missing.
# Playwright's own browser download cannot work offline, so the tests drive /usr/bin/chromium.
set -e
if [ -x /usr/bin/chromium ]; then exit 0; fi
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  echo "Installing Debian's chromium for the browser tests..."
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
else
  echo "warning: /usr/bin/chromium is missing and apt-get is not available; browser tests will be skipped" >&2
fi
