#!/usr/bin/env bash
# Runs mix_sweep.py once per line of a JSONL file of configs, N processes at a time (batch 16 keeps
# one run launch-bound, so several share the GPU well). Results are appended to OUT as JSON lines.
#   bash mix_runs.sh mixes.jsonl results.jsonl 8
set -uo pipefail
cd "$(dirname "$0")"
cfgs=$1 out=$2 n=${3:-8}
export PYTHONUNBUFFERED=1 OMP_NUM_THREADS=1
grep -v '^\s*$' "$cfgs" | tr '\n' '\0' | xargs -0 -P "$n" -I{} python3 mix_sweep.py {} "$out"
