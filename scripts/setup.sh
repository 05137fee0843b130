#!/usr/bin/env bash
# Everything the app and its tests need on a fresh Debian/Ubuntu machine besides Node.js itself
# (README, "Set up"). Each Debian package is installed only when what it provides is missing:
#   socat              pseudo-terminal pairs for the fiscal printer emulator (integration tests)
#   chromium           the browser the end-to-end tests drive
#   xvfb, xauth        a virtual display for the Electron test, where the Electron binary exists
#   fonts-dejavu-core  Cyrillic glyphs for the UI in Chromium (no fonts at all on a minimal system)
#   make, g++, python3 building better-sqlite3 when no prebuilt binary can be downloaded
# udev is not needed: serial ports are listed from /dev and sysfs (main/settings/sysfsSerialPorts.ts).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' 2>/dev/null; then
  echo "Нужен Node.js 20.19 или новее (https://nodejs.org). Node.js >= 20.19 is required." >&2
  exit 1
fi

need=()
tool() { command -v "$1" >/dev/null || need+=("$2"); }
tool socat socat
tool chromium chromium
tool Xvfb xvfb
tool xauth xauth
tool make make
tool g++ g++
tool python3 python3
dpkg-query -W -f '${Status}' fonts-dejavu-core 2>/dev/null | grep -q 'install ok installed' || need+=(fonts-dejavu-core)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "apt-get install ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# Electron's binary comes on first `npm start` (it needs the internet; tests run without it).
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
# Building better-sqlite3 needs Node's C headers; node-gyp downloads them from nodejs.org unless told where
# they are. Node installed from a package or a tarball carries them beside itself: use those (works offline).
node_prefix="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
if [ -z "${npm_config_nodedir:-}" ] && [ -f "$node_prefix/include/node/node.h" ]; then export npm_config_nodedir="$node_prefix"; fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
