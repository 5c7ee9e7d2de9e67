#!/usr/bin/env bash
# Stages what scripts/gpu-sweep/sweep.py needs in .gpu/ (git-ignored locally via .git/info/exclude):
# MiniLM weights as float16, the tokenizer and the HateXplain splits (~54 MB in all).
# Then, on a CUDA machine with torch, tokenizers and safetensors:
#   cd .gpu && python3 sweep.py '[{"bcos":true,"b":1.5,"lr":1e-4,"epochs":2},{"bcos":false,"lr":5e-5,"epochs":2}]' out.json
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=${CANDOR_DATA:-../shared/data}
mkdir -p .gpu /tmp/candor-minilm
grep -qx '/.gpu/' .git/info/exclude 2>/dev/null || { mkdir -p .git/info; echo '/.gpu/' >> .git/info/exclude; }
rm -rf /tmp/candor-minilm && bin/candor convert --from minilm --conventional --out /tmp/candor-minilm
python3 scripts/gpu-sweep/to_f16.py /tmp/candor-minilm/model.safetensors .gpu/minilm-f16.safetensors
cp /tmp/candor-minilm/tokenizer.json "$DATA/hatexplain/train.jsonl" "$DATA/hatexplain/val.jsonl" scripts/gpu-sweep/sweep.py .gpu/
