#!/usr/bin/env bash
# Load generator: the server in-process on a loopback port over a generated index of --n products
# (seeded random unit vectors), closed-loop HTTP clients per query type and concurrency level;
# prints p50/p99 latency and throughput. Bounded: --seconds per cell.
#
#   searcher/bench/load-bench.sh [--n 100000] [--dim 512] [--concurrency 1,4,16] [--seconds 10]
#                                [--types text,hybrid,filtered,image,similar] [--threads 2]
#                                [--model DIR [--device cpu] [--intra-op-threads 1]]
#                                [--clusters 0]
#
# Open loop (fixed arrival rate, latency from each request's scheduled send time, so queueing is
# counted): the server runs as its own JVM (LoadBench --port-file), the generator (OpenLoopBench)
# as another; both report the CPU they used. Options after --open-loop go to the generator:
#
#   searcher/bench/load-bench.sh [--n 100000] [--threads 2] [--server-heap 2g] [--clusters 0] \
#       --open-loop [--rate 500,1000,1500,2000] [--seconds 20] [--warmup 5] [--type text]
#       [--client nio|jdk]
#
# --type text-nofacets sends facets=false; --client jdk uses the JDK HttpClient instead of the
# one-thread NIO client (NioHttpLoad), at about 3 times its CPU per request.
#
# --clusters C draws the index's vectors around C centres and the stand-in's queries near them
# (closer to real embeddings than the default uniform vectors, the worst case for HNSW).
#
# Without --model, queries are encoded by a hashing stand-in (no inference cost): the numbers are
# the server's and the index's. With --model (e.g. the full-size random ViT-B/32 that
# models/bench/encode-bench.sh generates into ~/.cache/clipsearch/test-models/vit-b-32-random/hf),
# text and image queries go through the real model and decoder. The index's vectors are seeded
# random unit vectors either way; it is kept in --work (default searcher/target/load-bench) and
# reused. SERVER_JAVA_OPTS and GENERATOR_JAVA_OPTS add JVM options to the server and to the
# generator (e.g. a flight recording).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$root/scripts/env.sh"
server_args=(); generator_args=(); open_loop=false; n=100000; heap=2g
work="$root/searcher/target/load-bench"
while [ $# -gt 0 ]; do
  if [ "$1" = --open-loop ]; then open_loop=true; shift; continue; fi
  if [ $# -lt 2 ]; then echo "option $1 needs a value" >&2; exit 2; fi
  if $open_loop; then
    generator_args+=("$1" "$2")
  elif [ "$1" = --server-heap ]; then
    heap="$2"
  elif [ "$1" = --work ]; then
    work="$2"
  else
    server_args+=("$1" "$2"); [ "$1" = --n ] && n="$2"
  fi
  shift 2
done
"$root/mvnw" -q -B -f "$root/pom.xml" -pl searcher -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
classpath="$root/searcher/target/test-classes:$root/searcher/target/classes:$(cat "$root/searcher/target/bench.classpath")"
jvm=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$classpath")
if ! $open_loop; then
  exec java -Xmx6g "${jvm[@]}" dev.clipsearch.searcher.bench.LoadBench --work "$work" \
    "${server_args[@]}"
fi

run_dir="$(mktemp -d)"
# The server reads standard input until it closes: a FIFO held open by this script.
mkfifo "$run_dir/stdin"
java "-Xms$heap" "-Xmx$heap" -XX:+AlwaysPreTouch ${SERVER_JAVA_OPTS:-} "${jvm[@]}" dev.clipsearch.searcher.bench.LoadBench \
  --work "$work" "${server_args[@]}" --port-file "$run_dir/port" <"$run_dir/stdin" \
  2>&1 | grep -v 'WARNING: Using incubator modules' &
exec 3>"$run_dir/stdin"
server_pid=""
stop_server() {
  exec 3>&-
  if [ -n "$server_pid" ]; then
    for _ in $(seq 1 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$run_dir"
}
trap stop_server EXIT
for _ in $(seq 1 6000); do [ -s "$run_dir/port" ] && break; sleep 0.1; done  # a build may take minutes
[ -s "$run_dir/port" ] || { echo "the server did not start" >&2; exit 1; }
read -r port server_pid <"$run_dir/port"
echo "server pid $server_pid on port $port; $(uptime | sed 's/.*load average/load average/')"
java -Xmx1g ${GENERATOR_JAVA_OPTS:-} "${jvm[@]}" dev.clipsearch.searcher.bench.OpenLoopBench \
  --url "http://127.0.0.1:$port" --server-pid "$server_pid" --n "$n" \
  "${generator_args[@]}" 2>&1 | grep -v 'WARNING: Using incubator modules'
