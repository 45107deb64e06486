#!/usr/bin/env bash
# Runs every test of the project on a fresh machine: installs what the tests need, then the
# Maven build (compile, unit and integration tests, format check).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/install-deps.sh" test
source "$root/scripts/env.sh"
exec "$root/mvnw" -B -f "$root/pom.xml" verify "$@"
