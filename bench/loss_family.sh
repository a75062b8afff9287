#!/usr/bin/env bash
# Issue 10's loss speed figures: softgrad (LossFamilyBench) and PyTorch (bench/pytorch/loss_family.py)
# interleaved, ROUNDS rounds, SEC seconds per case; prints both raw lines with the load before each run.
# Usage: bench/loss_family.sh [ROUNDS] [SEC] [cpu]   (from the project root; PyTorch from /work/torchvenv)
# With "cpu" both sides run on one thread timed by its CPU time (steadier on a shared machine).
set -euo pipefail
ROUNDS=${1:-3}
SEC=${2:-1.5}
MODE=${3:-wall}
THREADS=""
if [ "$MODE" = cpu ]; then THREADS="-Dsoftgrad.threads=1"; fi
PY=${TORCH_PYTHON:-/work/torchvenv/bin/python}
CP=$(mktemp)
# compile and write the classpath in one reactor run (the last module, examples, writes it last)
mvn -B -q -pl examples -am compile dependency:build-classpath -Dmdep.outputFile="$CP" -Dmdep.includeScope=runtime
CLASSES="examples/target/classes"
for r in $(seq 1 "$ROUNDS"); do
  echo "# round $r softgrad load: $(cut -d' ' -f1-3 /proc/loadavg)"
  java -Xmx4g --add-modules jdk.incubator.vector -Dorg.bytedeco.javacpp.maxphysicalbytes=0 \
    -Dorg.nd4j.log.initialization=false $THREADS -cp "$CLASSES:$(cat "$CP")" \
    dev.softgrad.examples.bench.LossFamilyBench "$SEC" "$MODE" 2>/dev/null | sed 's/^/softgrad\t/'
  echo "# round $r pytorch load: $(cut -d' ' -f1-3 /proc/loadavg)"
  "$PY" bench/pytorch/loss_family.py "$SEC" "$MODE" | sed 's/^/pytorch\t/'
done
rm -f "$CP"
