#!/usr/bin/env bash
# Installs headless Chromium and its WebDriver from Debian when missing, for the dashboard's
# Selenium tests (DashboardIT). Run as root before `mvn test`; prints the versions found.
set -euo pipefail
if ! [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
  echo "installing chromium + chromium-driver ..." >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >&2
fi
/usr/bin/chromium --version
/usr/bin/chromedriver --version
