#!/usr/bin/env bash
# Stages what scripts/gpu-sweep/{sweep,mix_sweep}.py need in .gpu/ (git-ignored locally via
# .git/info/exclude): MiniLM weights as float16, the tokenizer, the four sources' splits as gzipped
# JSONL with text and label only, and the functional checks (~52 MB in all).
# Then, on a CUDA machine with torch, tokenizers and safetensors:
#   cd .gpu && python3 sweep.py '[{"bcos":true,"b":1.5,"lr":1e-4,"epochs":2},{"bcos":false,"lr":5e-5,"epochs":2}]' out.json
#   cd .gpu && bash mix_runs.sh mixes.jsonl results.jsonl 8      # issue 14's mixes, 8 at a time
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=${CANDOR_DATA:-../shared/data}
mkdir -p .gpu /tmp/candor-minilm
grep -qx '/.gpu/' .git/info/exclude 2>/dev/null || { mkdir -p .git/info; echo '/.gpu/' >> .git/info/exclude; }
if [ ! -f .gpu/minilm-f16.safetensors ]; then
  rm -rf /tmp/candor-minilm && bin/candor convert --from minilm --conventional --out /tmp/candor-minilm
  python3 scripts/gpu-sweep/to_f16.py /tmp/candor-minilm/model.safetensors .gpu/minilm-f16.safetensors
  cp /tmp/candor-minilm/tokenizer.json .gpu/
fi
python3 - "$DATA" .gpu/data <<'PY'
import gzip, json, os, sys
src, dst = sys.argv[1], sys.argv[2]
for name, splits in (("hatexplain", ("train", "val")), ("davidson", ("train", "val")),
                     ("sst2", ("train", "val")), ("toxic_spans", ("train",))):
    os.makedirs(os.path.join(dst, name), exist_ok=True)
    for split in splits:
        with open(os.path.join(src, name, split + ".jsonl"), encoding="utf-8") as f, \
             gzip.open(os.path.join(dst, name, split + ".jsonl.gz"), "wt", encoding="utf-8") as g:
            for line in f:
                if line.strip():
                    r = json.loads(line)
                    g.write(json.dumps({"text": r["text"], "label": r["label"]}) + "\n")
PY
cp scripts/gpu-sweep/sweep.py scripts/gpu-sweep/mix_sweep.py scripts/gpu-sweep/mix_runs.sh scripts/gpu-sweep/issue14-mixes*.jsonl .gpu/
cp evaluation/src/main/resources/dev/candor/evaluation/functional/functional-checks.tsv .gpu/
du -sh .gpu
