#!/usr/bin/env bash
# The incremental planner's lookups by product id on a local SolrCloud: --n stored products looked
# up by --threads threads (the fetch stage's 8), one /select per id against SolrSnapshot.find's
# batched {!terms} requests; prints a Markdown table (requests, seconds, lookups/s) and the load
# average. See docs/scale-out.md.
#
#   indexer/bench/lookup-bench.sh [--n 3000] [--threads 8] [--shards 2]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$root/scripts/env.sh"
classpath_file="$root/indexer/target/bench.classpath"
# One reactor run: -am builds solr-local (the nodes' class path) before the indexer.
"$root/mvnw" -q -B -f "$root/pom.xml" -pl indexer -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file" -Dspotless.check.skip=true
java -Xmx1g -Dclipsearch.root="$root" --enable-native-access=ALL-UNNAMED \
  -cp "$root/indexer/target/test-classes:$root/indexer/target/classes:$(cat "$classpath_file")" \
  dev.clipsearch.indexer.solr.SolrLookupBench "$@"
