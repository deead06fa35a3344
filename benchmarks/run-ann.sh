#!/usr/bin/env bash
# The ANN benchmark run (see BENCHMARKS.md): builds benchmarks.jar, then measures every group of the
# chosen scale in its own JVM, skipping groups whose result file exists (a stopped run resumes),
# and writes the report and charts into the results directory.
#
#   benchmarks/run-ann.sh [100k|growth|1m|all|jdk25|pq|smoke|jdk25-smoke] [--in-process] [--results DIR]
#
# 100k   every engine configuration and jvector and Lucene, both datasets, 100k points
# growth the clustered set at 300k (the growth chart's middle point)
# 1m     the clustered set at 1M: HNSW float32 and int8 (graph on disk) beside flat int8
# all    100k, growth and 1m: the full run (give it the whole machine)
# jdk25  the engine's swept configurations and both peers at 100k on JDK 25 with the newest Lucene
#        (a separate build: -Pjdk25, classes for Java 21, in benchmarks/target/jdk25)
# pq     product quantization (X16) beside int8 and binary, flat and HNSW, both datasets, 100k
#        (results in benchmarks/results/ann/pq-jdkNN)
# smoke  everything at tiny sizes, to try the command (jdk25-smoke: the JDK 25 plan, tiny)
# --in-process  measure every group in this JVM (faster, for trying; footprints are then mixed)
#
# Datasets, ground truth and built peer indexes are cached in ~/.cache/vectorcache-bench (set
# VECTORCACHE_BENCH_CACHE to move it); results go to benchmarks/results/ann/jdkNN.
set -euo pipefail
cd "$(dirname "$0")/.."

scale="${1:-100k}"
jar=benchmarks/target/benchmarks.jar
profile=()
if [[ "$scale" == jdk25* ]]; then
  export JAVA_HOME="${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
  jar=benchmarks/target/jdk25/benchmarks.jar
  profile=(-Pjdk25)
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
"$java" -version 2>&1 | head -1

build=(-B -q package -pl benchmarks -am -Dmaven.test.skip=true -Djacoco.skip=true -Dmaven.javadoc.skip=true "${profile[@]}")
./mvnw -o "${build[@]}" || ./mvnw "${build[@]}"

cache="${VECTORCACHE_BENCH_CACHE:-$HOME/.cache/vectorcache-bench}"
# ANN_JAVA_OPTS: extra options for the driver, e.g. -Djmh.ignoreLock=true on a machine where another
# JMH run holds /tmp/jmh.lock (passed on to every group's JVM)
# shellcheck disable=SC2086
exec "$java" --add-modules=jdk.incubator.vector -Xmx4g -Dvectorcache.bench.cache="$cache" ${ANN_JAVA_OPTS:-} \
  -cp "$jar" dev.vectorcache.benchmarks.ann.AnnSuite "$@"
