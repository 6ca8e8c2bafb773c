#!/usr/bin/env bash
# Installs what the peer suite (test/peers) runs besides `npm ci`, and prints the path of the Python it uses:
#   - a virtual environment OUTSIDE the repository with test/peers/python/requirements.txt (every version
#     pinned): ${XDG_CACHE_HOME:-$HOME/.cache}/tracery/peers-python-<key>, or $TRACERY_PEERS_CACHE/...; <key>
#     is a hash of the requirements and of the Python that made it, so a changed pin makes a new one;
#   - Debian's Ruby Jaeger client, Rack and WEBrick (apt-get, as root) when Ruby cannot load them.
# Idempotent: when everything is there it only checks (well under a second). Never writes inside the repository.
#
#   test/peers/setup.sh                                  # the Python interpreter: python3 on PATH
#   TRACERY_PEERS_PYTHON_BIN=/usr/bin/python3.11 test/peers/setup.sh
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
requirements="$here/python/requirements.txt"
readonly RUBY_PACKAGES=(ruby ruby-jaeger-client ruby-rack ruby-webrick)
readonly RUBY_LIBRARIES='require "jaeger/client"; require "rack"; require "webrick"'

log() { echo "setup.sh: $*" >&2; }

# --- Ruby: Debian's packages ------------------------------------------------------------------------------
if ! (command -v ruby >/dev/null 2>&1 && ruby -e "$RUBY_LIBRARIES" >/dev/null 2>&1); then
  if [[ "$(id -u)" != 0 ]]; then
    log "Ruby with jaeger-client, rack and webrick is missing; as root: apt-get install ${RUBY_PACKAGES[*]}"
    exit 1
  fi
  started=$SECONDS
  log "installing ${RUBY_PACKAGES[*]} (apt-get)"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${RUBY_PACKAGES[@]}" >&2
  ruby -e "$RUBY_LIBRARIES"
  log "Ruby packages installed in $((SECONDS - started)) s"
fi

# --- Python: a virtual environment of our pins ------------------------------------------------------------
python_bin="${TRACERY_PEERS_PYTHON_BIN:-python3}"
if ! command -v "$python_bin" >/dev/null 2>&1; then
  log "'$python_bin' is not on PATH (set TRACERY_PEERS_PYTHON_BIN to a Python >= 3.8 with venv)"
  exit 1
fi
python_version="$("$python_bin" -c 'import sys; print(sys.version.split()[0])')"
key="$( (cat "$requirements"; echo "$python_version") | sha256sum | cut -c1-12)"
cache_root="${TRACERY_PEERS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tracery}"
venv="$cache_root/peers-python-$key"

if [[ ! -f "$venv/.installed" ]]; then
  started=$SECONDS
  log "making $venv (Python $python_version, $requirements)"
  mkdir -p "$cache_root"
  work="$(mktemp -d "$cache_root/peers-python-build.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  # Made under a temporary name and moved into place once complete, so an interrupted install leaves no
  # environment behind. (It runs from the new path: nothing here uses the scripts that record the old one.)
  "$python_bin" -m venv "$work/venv"
  "$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
    --require-virtualenv -r "$requirements" >&2
  touch "$work/venv/.installed"
  rm -rf "$venv"
  mv "$work/venv" "$venv"
  log "Python peers installed in $((SECONDS - started)) s"
fi

echo "$venv/bin/python"
