#!/usr/bin/env bash
# Installs Prometheus and promtool from Debian (package `prometheus`) when missing, for
# stream-app's MonitoringRulesTest (promtool check config / check rules / test rules) and
# MonitoringIT (a real Prometheus scraping a running stream app). Also installs the python
# `docker-compose` (1.29) so cli's DockerComposeTest can run `docker-compose config`.
# Run as root before `mvn test`; prints the versions found.
set -euo pipefail
missing=()
[[ -x /usr/bin/prometheus && -x /usr/bin/promtool ]] || missing+=(prometheus)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
if ((${#missing[@]})); then
  echo "installing ${missing[*]} ..." >&2
  apt-get update -qq >&2
  # --no-install-recommends: the binaries only; nothing is started as a service here.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
# `sed -n 1p` reads to the end: `head -1` may close the pipe before a tool has written its other
# lines, and that tool's SIGPIPE (exit 141) fails the script under pipefail (seen on a loaded CI run)
/usr/bin/prometheus --version 2>&1 | sed -n 1p
/usr/bin/promtool --version 2>&1 | sed -n 1p
docker-compose version 2>&1 | sed -n 1p
