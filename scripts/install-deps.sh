#!/usr/bin/env bash
# Installs the system packages clipsearch needs that Maven cannot bring, once.
#   test: what the test suite needs (Debian packages for the model generator and browser tests,
#         npm for the sample catalog tests)
#   demo: what the demo needs (node/npm for fetching the sample catalog)
# Both get libturbojpeg0: the JPEG decoder binds libjpeg-turbo (and falls back to the JDK's slower
# decoder without it).
set -euo pipefail
want=()
need() { dpkg -s "$1" >/dev/null 2>&1 || want+=("$1"); }
case "${1:-test}" in
  test)
    need libturbojpeg0
    need python3-onnx; need python3-numpy
    need chromium; need chromium-driver
    command -v npm >/dev/null 2>&1 || need npm
    ;;
  demo)
    need libturbojpeg0
    # npm fetches the sample catalog's image packages from the npm registry.
    command -v npm >/dev/null 2>&1 || need npm
    ;;
esac
if [ ${#want[@]} -gt 0 ]; then
  echo "installing: ${want[*]}" >&2
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${want[@]}" >/dev/null
fi
