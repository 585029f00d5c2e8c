#!/usr/bin/env bash
# Fetches veraPDF (the PDF/A validator of the PDF Association's veraPDF consortium, GPLv3+/MPLv2+)
# from Maven Central into .tmp/verapdf/lib, for the tests that validate exported PDFs against
# PDF/A-2b / PDF/A-3b. Jars are not committed; run this once per machine (CI runs it).
#   bash tools/verapdf/fetch.sh     then: tools/verapdf/verapdf --flavour 2b file.pdf
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
lib="$root/.tmp/verapdf/lib"
if [ -f "$lib/.complete" ]; then echo "veraPDF already in $lib"; exit 0; fi
command -v java >/dev/null || { echo "veraPDF needs Java 11+ (apt-get install default-jre-headless)" >&2; exit 1; }
command -v mvn >/dev/null || { echo "fetching veraPDF needs Maven (apt-get install maven)" >&2; exit 1; }
rm -rf "$lib" && mkdir -p "$lib"
mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies -DoutputDirectory="$lib" -DincludeScope=runtime
touch "$lib/.complete"
echo "veraPDF fetched into $lib"
