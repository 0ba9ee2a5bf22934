#!/usr/bin/env bash
# Installs what the dashboard's build and browser tests need from Debian 12 packages: Debian's
# Chromium (driven by playwright-core from tests/e2e; never a downloaded browser build), fonts
# for legible screenshots, and Node.js/npm when the machine has none. Idempotent.
set -euo pipefail

packages=(chromium fonts-dejavu-core fonts-liberation2)
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
