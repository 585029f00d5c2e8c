#!/usr/bin/env bash
# Builds the embedded database engine (FerretDB 1.24.2, SQLite backend) from the Go module proxy.
#
# Why the vendor step: FerretDB embeds build/version/version.txt, which release builds generate
# from git. A module-proxy build has no such file and the binary panics at start-up ("Invalid
# build/version/version.txt"). We vendor the module and write that file into the vendored copy,
# so the embed picks it up. Idempotent: does nothing when the binaries are already built.
#
# It also builds bin/provenant-engine (./launcher, standard library only): the small supervisor
# the server starts FerretDB through, which holds the data directory's lock and stops FerretDB
# when the server ends, even by SIGKILL.
set -euo pipefail
cd "$(dirname "$0")"
FERRETDB_VERSION=v1.24.2
out=bin/ferretdb
launcher=bin/provenant-engine
build_launcher() {
  if [ -x "$launcher" ] && [ -z "$(find launcher -newer "$launcher" -name '*.go' | head -1)" ]; then return 0; fi
  command -v go >/dev/null || { echo "Go is required to build the embedded engine launcher. Install Go >= 1.22 or set MONGODB_URI." >&2; exit 1; }
  mkdir -p bin
  CGO_ENABLED=0 go build -mod=readonly -trimpath -o "$launcher" ./launcher
}
if [ -x "$out" ] && [ "$(cat bin/.version 2>/dev/null)" = "$FERRETDB_VERSION" ]; then
  build_launcher
  exit 0
fi
command -v go >/dev/null || { echo "Go is required to build the embedded engine (FerretDB). Install Go >= 1.22 or set MONGODB_URI." >&2; exit 1; }
echo "building embedded engine FerretDB $FERRETDB_VERSION (first run only, ~2 min)…" >&2
go mod download
go mod vendor
gen=vendor/github.com/FerretDB/FerretDB/build/version
echo "$FERRETDB_VERSION" > "$gen/version.txt"
echo "provenant-embedded" > "$gen/package.txt"
echo "unknown" > "$gen/commit.txt"
echo "unknown" > "$gen/branch.txt"
mkdir -p bin
CGO_ENABLED=0 go build -mod=vendor -trimpath -o "$out" github.com/FerretDB/FerretDB/cmd/ferretdb
echo "$FERRETDB_VERSION" > bin/.version
rm -rf vendor
build_launcher
