#!/usr/bin/env bash
# Installs, from Debian's packages, every system program CI uses that this machine lacks:
#   chromium        the dashboard's browser tests (playwright-core drives /usr/bin/chromium)
#   docker-compose  validates docker-compose.yml without a Docker engine (scripts/check-compose.sh)
#   redis-server    tests start their own Redis servers on free ports
# A fresh machine of this kind has none of the first two: CI must not rely on a hand install.
# `apt-get update` runs once, and only when something is missing.
set -euo pipefail

declare -A program_of=([chromium]=/usr/bin/chromium [docker-compose]=docker-compose [redis-server]=redis-server)
missing=()
for pkg in chromium docker-compose redis-server; do
  command -v "${program_of[$pkg]}" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present (chromium, docker-compose, redis-server)"
  exit 0
fi
echo "system packages: installing ${missing[*]} from Debian"
SUDO=()
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "system packages: need root or sudo to install ${missing[*]}" >&2; exit 1; }
  SUDO=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -q >/dev/null
"${SUDO[@]}" apt-get install -y -q "${missing[@]}" >/dev/null
for pkg in "${missing[@]}"; do
  command -v "${program_of[$pkg]}" >/dev/null 2>&1 || { echo "system packages: $pkg did not install" >&2; exit 1; }
done
echo "system packages: installed ${missing[*]}"
