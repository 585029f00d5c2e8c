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
# the marker in bin/.version: a new patch level rebuilds an engine built before it
BUILD_MARKER="$FERRETDB_VERSION+id-index.2"
out=bin/ferretdb
launcher=bin/provenant-engine
build_launcher() {
  if [ -x "$launcher" ] && [ -z "$(find launcher -newer "$launcher" -name '*.go' | head -1)" ]; then return 0; fi
  command -v go >/dev/null || { echo "Go is required to build the embedded engine launcher. Install Go >= 1.22 or set MONGODB_URI." >&2; exit 1; }
  mkdir -p bin
  CGO_ENABLED=0 go build -mod=readonly -trimpath -o "$launcher" ./launcher
}
if [ -x "$out" ] && [ "$(cat bin/.version 2>/dev/null)" = "$BUILD_MARKER" ]; then
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
# The SQLite backend finds a document by _id with the path expression `sjson->'$._id'`, but the
# unique _id index it creates is on `sjson->"_id"`. SQLite matches an expression index only on the
# same expression, so every lookup, update and delete by _id scanned the whole table (a missing
# _id: 700 ms at 200k documents; 0.6 ms with the index). Using the index's own expression makes
# them index lookups; both expressions name the same top-level field.
meta=vendor/github.com/FerretDB/FerretDB/internal/backends/sqlite/metadata/metadata.go
sed -i "s|IDColumn = DefaultColumn + \"->'\$._id'\"|IDColumn = DefaultColumn + \`->\"_id\"\`|" "$meta"
grep -q 'IDColumn = DefaultColumn + `->"_id"`' "$meta" || { echo "the _id index patch did not apply to $meta" >&2; exit 1; }
# A query is pushed down to SQLite only when its filter is `{_id: …}` alone; a filter naming _id
# and more (the projector's `{_id, ledgerVersion}` guard on every write) scanned the whole table.
# Every handler filters the documents the backend returns by the whole filter again, so the
# backend may return the one document with that _id whatever else the filter says: push _id down
# whenever it is a top-level field, named once.
coll=vendor/github.com/FerretDB/FerretDB/internal/backends/sqlite/collection.go
sed -i '0,/if params.Filter.Len() == 1 {/s//if countKey(params.Filter, "_id") == 1 {/' "$coll"
cat >> "$coll" <<'GO'

// countKey counts the top-level fields named key (a Provenant patch: _id pushdown beside other fields).
func countKey(d *types.Document, key string) int {
	n := 0
	for _, k := range d.Keys() {
		if k == key {
			n++
		}
	}
	return n
}
GO
grep -q 'if countKey(params.Filter, "_id") == 1 {' "$coll" || { echo "the _id pushdown patch did not apply to $coll" >&2; exit 1; }
mkdir -p bin
CGO_ENABLED=0 go build -mod=vendor -trimpath -o "$out" github.com/FerretDB/FerretDB/cmd/ferretdb
echo "$BUILD_MARKER" > bin/.version
rm -rf vendor
build_launcher
