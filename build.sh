#!/usr/bin/env bash
# One command to set up and test TargetProfileUpdate on a fresh machine with only the .NET SDK.
#
#   ./build.sh test        set up (see below), build once, run the fast lane, then the slow lane   (what CI runs)
#   ./build.sh test-fast   the fast lane: unit and in-process emulator tests, on net8.0 and net10.0; needs nothing
#                          but the .NET SDK (every test not tagged [Trait("Category", "Slow")])
#   ./build.sh test-slow   set up, then the slow lane only: child processes, dotnet pack / tool install, Native AOT,
#                          real redis-server, 200,000-row imports, anything over ~2 s
#   ./build.sh setup       only install what the slow lane needs
#   ./build.sh pack        the packages into artifacts/packages, versioned 0.1.0-dev.<UTC timestamp>: a new version per
#                          pack, so NuGet's global package cache never hands out a stale copy of an earlier pack
#
# Set-up: the slow lane needs Debian's redis-server (the Redis tests start their own), clang and zlib1g-dev (the Native
# AOT publish links with them). As root, ./build.sh installs them with apt-get; otherwise it stops at once and prints
# the exact command to run.
#
# Extra arguments go to `dotnet test`, e.g. ./build.sh test-fast --filter "FullyQualifiedName~Encoder".
# TRX results go to artifacts/test-results/<lane>/ (TEST_RESULTS overrides the folder), where .ci/run counts them.
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

solution=TargetProfileUpdate.sln
results="${TEST_RESULTS:-$(pwd)/artifacts/test-results}"
fast_filter='Category!=Slow'
slow_filter='Category=Slow'

usage() {
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
}

# The Debian packages the slow lane needs, and whether each one is there.
missing_packages() {
  local missing=()
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  command -v clang >/dev/null 2>&1 || missing+=(clang)
  # zlib1g-dev has no command: ask dpkg when it is there, else look for the header the linker's -lz needs.
  if command -v dpkg-query >/dev/null 2>&1; then
    dpkg-query -W -f='${Status}' zlib1g-dev 2>/dev/null | grep -q 'install ok installed' || missing+=(zlib1g-dev)
  elif [ ! -f /usr/include/zlib.h ]; then
    missing+=(zlib1g-dev)
  fi
  echo "${missing[@]}"
}

setup() {
  local missing
  missing="$(missing_packages)"
  [ -z "$missing" ] && return 0
  local command="apt-get update && apt-get install -y --no-install-recommends ${missing}"
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "build.sh: the slow lane needs ${missing} (Debian packages). Install them, then run ./build.sh again:" >&2
    echo "  sudo sh -c '${command}'" >&2
    echo "(./build.sh test-fast needs only the .NET SDK.)" >&2
    exit 2
  fi
  echo "build.sh: installing ${missing}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086 # one word per package
  apt-get install -y -qq --no-install-recommends ${missing} >/dev/null
}

build() {
  dotnet build "$solution" -c Release
}

# run_lane NAME FILTER [dotnet test arguments...]: runs the already built solution's tests of one lane, with a TRX
# logger (so .ci/run can count them) and a hang guard (a test stuck for 5 minutes aborts the run with a dump).
# A --filter among the arguments narrows the lane: both must match.
run_lane() {
  local name="$1" filter="$2"
  shift 2
  local args=()
  while [ $# -gt 0 ]; do
    if [ "$1" = "--filter" ] && [ $# -gt 1 ]; then
      filter="(${filter})&($2)"
      shift 2
    else
      args+=("$1")
      shift
    fi
  done
  rm -rf "${results:?}/${name}"
  mkdir -p "${results}/${name}"
  echo "build.sh: ${name} lane (${filter})"
  dotnet test "$solution" -c Release --no-build --filter "$filter" \
    --logger trx --results-directory "${results}/${name}" --blame-hang-timeout 5m ${args[@]+"${args[@]}"}
}

command="${1:-}"
[ $# -gt 0 ] && shift
case "$command" in
  setup)
    setup
    ;;
  test)
    setup
    build
    status=0
    run_lane fast "$fast_filter" "$@" || status=$?
    run_lane slow "$slow_filter" "$@" || status=$?
    exit "$status"
    ;;
  test-fast)
    build
    run_lane fast "$fast_filter" "$@"
    ;;
  test-slow)
    setup
    build
    run_lane slow "$slow_filter" "$@"
    ;;
  pack)
    suffix="dev.$(date -u +%Y%m%d%H%M%S)"
    dotnet pack "$solution" -c Release -o artifacts/packages --version-suffix "$suffix" "$@"
    echo "build.sh: packed version $(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' Directory.Build.props)-${suffix} into artifacts/packages"
    ;;
  -h|--help|help)
    usage
    ;;
  *)
    usage >&2
    exit 64
    ;;
esac
