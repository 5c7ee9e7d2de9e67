#!/usr/bin/env bash
# Reproduces docs/evaluation.md (+ .json, B-sweep plots) from a clean checkout:
# trains the bundles it needs when they are absent, then runs the report.
#   scripts/evaluate-hatexplain.sh            # LIMIT=150 validation texts (~1 h on 2 cores incl. training)
#   LIMIT=0 scripts/evaluate-hatexplain.sh    # all 1,922 validation texts (many hours: IG-50 and Shapley dominate)
set -euo pipefail
cd "$(dirname "$0")/.."
MODELS=${CANDOR_MODELS:-models}
LIMIT=${LIMIT:-150}
DATA=${CANDOR_DATA:-../shared/data}

train() {
  local out=$1
  shift
  if [ ! -d "$out" ]; then bin/candor train --data "$DATA" --out "$out" --device cpu "$@"; fi
}

# the two models compared in the main table: same data, epochs and schedule; lr chosen per model
train "$MODELS/bcos-b1.5-hatexplain" --b 1.5 --epochs 2 --lr 1e-4
train "$MODELS/conventional-hatexplain" --conventional --epochs 2 --lr 5e-5
# the B sweep: a smaller equal budget per B (first 4,000 training texts, 1 epoch)
sweep=()
for b in 1.0 1.25 1.5 2.0 2.5; do
  train "$MODELS/sweep-b$b" --b "$b" --epochs 1 --limit-train 4000 --limit-val 500 --lr 1e-4
  sweep+=("$MODELS/sweep-b$b")
done

bin/candor evaluate --report \
  --models "$MODELS/bcos-b1.5-hatexplain,$MODELS/conventional-hatexplain" \
  --sweep-models "$(IFS=,; echo "${sweep[*]}")" \
  --data "$DATA" --limit "$LIMIT" --seed 13 --ig-steps 50 --shapley-samples 5 --seqpg-pairs 25 \
  --spans-file "$DATA/toxic_spans/trial.jsonl" --device cpu --out docs
