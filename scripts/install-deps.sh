#!/usr/bin/env bash
# Installs the Debian 12 packages barrel-p2p needs to build and test.
# Idempotent and quiet: when everything is present it prints nothing and
# touches nothing. Needs root (or sudo) only when something is missing.
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config   # toolchain
  libyaml-cpp-dev                    # sim/: scenario files
  libngtcp2-dev libngtcp2-crypto-gnutls-dev libgnutls28-dev  # transport/: QUIC + TLS 1.3
  libboost-dev                       # transport/: Asio (header-only)
  libsodium-dev                      # transport/: Ed25519 node keys
  ngtcp2-client ngtcp2-server        # tests/transport, bench/: third-party QUIC peers
  libgtest-dev libgmock-dev          # tests/
  libbenchmark-dev                   # bench/
  chromium                           # tests/sim: renders barrel-sim's HTML report headless
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root to install ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
