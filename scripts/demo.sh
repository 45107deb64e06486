#!/usr/bin/env bash
# The demo on a fresh machine: installs what it needs (npm, for the sample catalog's packages),
# then `clipsearch demo`: builds the sample catalog, chooses a model, indexes, serves the page.
# Options are passed on: ./scripts/demo.sh --port 8080, ./scripts/demo.sh --help.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/install-deps.sh" demo
exec "$root/clipsearch" demo "$@"
