#!/usr/bin/env bash
# Installs what the dashboard's build and browser tests need from Debian 12 packages: Debian's
# Chromium (driven by playwright-core from tests/e2e; never a downloaded browser build), fonts
# for legible screenshots, and Node.js/npm when the machine has none. Idempotent.
set -euo pipefail

packages=(chromium fonts-dejavu-core fonts-liberation2)
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

bash "$(dirname "$0")/apt-install-missing.sh" "${packages[@]}"
