#!/usr/bin/env bash
# Installs Schemathesis (a pinned version, from PyPI) into its own venv under .tmp/, so the
# project's files, not the machine, bring the fuzzer CI runs. Prints the st binary's path.
set -euo pipefail
cd "$(dirname "$0")/../.."
VERSION=4.32.5
VENV=.tmp/schemathesis-venv
if ! "$VENV/bin/st" --version 2>/dev/null | grep -q "$VERSION"; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$VERSION" >&2
fi
echo "$VENV/bin/st"
