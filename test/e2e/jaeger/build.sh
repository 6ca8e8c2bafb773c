#!/usr/bin/env bash
# Builds the Jaeger v2 binary the e2e suite runs, from its Go module on the Go module proxy, into a cache
# directory outside the repository, and prints the binary's path. Does nothing but print it when the binary
# is already there. Never writes inside the repository.
#
#   test/e2e/jaeger/build.sh            # the cache: ${XDG_CACHE_HOME:-$HOME/.cache}/tracery/jaeger-v1.76.0
#   TRACERY_JAEGER_CACHE=/some/dir test/e2e/jaeger/build.sh
set -euo pipefail

# Jaeger's Go module is versioned v1.x; its v1.76.0 tag is the release Jaeger v2.13.0 (same commit).
readonly JAEGER_MODULE_VERSION=v1.76.0
readonly JAEGER_RELEASE=v2.13.0
readonly JAEGER_COMMIT=63b27e1810a710ac54dc4522da0538e540bdc545

cache_dir="${TRACERY_JAEGER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tracery/jaeger-$JAEGER_MODULE_VERSION}"
binary="$cache_dir/jaeger"

if [[ -x "$binary" ]]; then
  echo "$binary"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "build.sh: Go (>= 1.24) is needed to build Jaeger $JAEGER_RELEASE, and 'go' is not on PATH" >&2
  exit 1
fi

mkdir -p "$cache_dir"
work="$(mktemp -d "$cache_dir/build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cd "$work"

# The machine's Go, never a downloaded toolchain; CGO off for a static binary.
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
started=$SECONDS
echo "build.sh: building Jaeger $JAEGER_RELEASE (github.com/jaegertracing/jaeger $JAEGER_MODULE_VERSION) into $cache_dir" >&2

# `go install module@version` refuses a module whose go.mod has replace directives, and Jaeger's has one:
# build it as a tool of a throwaway module of ours, with that same replacement, so the dependency versions
# are the ones the release was built with.
go mod init tracery.invalid/jaeger-build >/dev/null 2>&1
go mod edit -replace=github.com/Shopify/sarama=github.com/Shopify/sarama@v1.33.0
go get -tool "github.com/jaegertracing/jaeger/cmd/jaeger@$JAEGER_MODULE_VERSION" >&2
version_pkg=github.com/jaegertracing/jaeger/internal/version
go build -trimpath \
  -ldflags "-s -w -X $version_pkg.latestVersion=$JAEGER_RELEASE -X $version_pkg.commitSHA=$JAEGER_COMMIT" \
  -o "$work/jaeger" github.com/jaegertracing/jaeger/cmd/jaeger >&2

# Moved into place only once complete: an interrupted build leaves no binary behind.
mv -f "$work/jaeger" "$binary"
echo "build.sh: built in $((SECONDS - started)) s, $(du -h "$binary" | cut -f1)" >&2
echo "$binary"
