"""Issue 14 on a lent GPU: which training mix generalises, in the PyTorch replica of Candor's recipe.

One run = one config (JSON): train the B-cos MiniLM on a mix of sources the way `candor train --data`
mixes them (a source's weight is the share of its rows drawn, seeded; `keep` keeps only some classes,
`as` relabels every row, e.g. SST-2's sentences as class 0 `normal`; `normal_copies` repeats
HateXplain's normal rows; `then` is a second mix trained for `then_epochs` (default 1) after the
first `epochs` under one LR schedule; `"bcos": false` trains the conventional model), choose the
best epoch on HateXplain validation macro-F1 only, then report HateXplain validation figures and
Candor's functional checks (validation only, never used here to pick an epoch). Appends one JSON
line to the output file. The figures choose which mix is worth a 2-core Java run; they are not the
product's bundles.

  python3 mix_sweep.py '{"name":"r6","mix":[{"src":"hatexplain","w":1},
      {"src":"toxic_spans","w":0.5,"keep":[1]},{"src":"sst2","w":0.2,"as":0}]}' results.jsonl
"""
import json, os, random, re, sys, time

import sweep

HERE = os.path.dirname(os.path.abspath(__file__))


def mix(cfg, seed):
    out = []
    for i, part in enumerate(cfg["mix"]):
        rs = sweep.rows(part["src"], "train")
        if "keep" in part:
            rs = [r for r in rs if r["label"] in part["keep"]]
        if part.get("strip"):  # HateXplain's texts carry no punctuation; make the source look alike
            rs = [dict(r, text=strip_punctuation(r["text"])) for r in rs]
        if "as" in part:
            rs = [dict(r, label=part["as"]) for r in rs]
        w = part.get("w", 1.0)
        if w < 1.0:
            rs = random.Random(seed + i).sample(rs, round(w * len(rs)))
        out += rs
        if part["src"] == "hatexplain" and cfg.get("normal_copies", 1) > 1:
            out += [r for r in rs if r["label"] == 0] * (cfg["normal_copies"] - 1)
    return out


PUNCT = re.compile(r"[!-&(-/:-;=?-@\[-`{-~]+")  # ASCII punctuation but ' < >


def strip_punctuation(text):
    return " ".join(PUNCT.sub(" ", text).split())


PLACEHOLDER = re.compile(r"\{(PL|A_SG|ADJ)\}")


def functional_cases(path):
    """The same expansion as dev.candor.evaluation.functional.FunctionalSuite."""
    groups, cases = [], []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        f = line.split("\t")
        if f[0] == "group":
            groups.append(dict(name=f[1], PL=f[2], A_SG=f[3], ADJ=f[4]))
        else:
            cases.append((f[1], f[2] == "toxic", f[3]))
    out = []
    for func, toxic, t in cases:
        if not PLACEHOLDER.search(t):
            out.append((func, toxic, None, t))
            continue
        for g in groups:
            def fill(m):
                v = g[m.group(1)]
                before = t[: m.start()].rstrip(" \t\"'")
                return v[:1].upper() + v[1:] if (not before or before[-1] in ".!?") else v
            out.append((func, toxic, g["name"], PLACEHOLDER.sub(fill, t)))
    return out


def functional(net, cases):
    pr = sweep.probs(net, [sweep.encode(c[3]) for c in cases])
    pred = [int(p.argmax()) != 0 for p in pr]
    per = {}
    for (func, toxic, _, _), p in zip(cases, pred):
        per.setdefault(func, []).append(p == toxic)
    hits = [p == c[1] for c, p in zip(cases, pred)]
    return dict(overall=sum(hits) / len(hits), mean=sum(sum(v) / len(v) for v in per.values()) / len(per),
                per={k: round(sum(v) / len(v), 3) for k, v in per.items()},
                toxic_calls="".join("1" if p else "0" for p in pred))


def main(cfg, out):
    t0 = time.time()
    seed = cfg.get("seed", 42)
    train = mix(cfg, seed)
    if "limit" in cfg:  # a smoke run before the real ones
        train = train[: cfg["limit"]]
    sweep.set_data(train, sweep.rows("hatexplain", "val"))
    then = None
    if "then" in cfg:  # a second stage on another mix (e.g. HateXplain alone), same LR schedule
        then = (*sweep.encoded(mix(dict(mix=cfg["then"]), seed + 100)), cfg.get("then_epochs", 1))
    net, best, best_ep, hist = sweep.train_run(cfg.get("bcos", True), cfg.get("b", 1.5), cfg.get("lr", 1e-4),
                                               cfg.get("epochs", 2), seed, then=then)
    res = dict(name=cfg["name"], cfg=cfg, train_texts=len(train), best_epoch=best_ep,
               val={k: round(v, 4) for k, v in best.items()}, history=[round(h["f1"], 4) for h in hist])
    for src, split in (("sst2", "val"), ("davidson", "val")):
        rs = sweep.rows(src, split)
        pr = sweep.probs(net, [sweep.encode(r["text"]) for r in rs])
        res[src + "_val_called_toxic"] = round(sum(int(p.argmax()) for p in pr) / len(pr), 4)
    res["functional"] = functional(net, functional_cases(os.path.join(HERE, "functional-checks.tsv")))
    res["seconds"] = round(time.time() - t0, 1)
    line = json.dumps(res) + "\n"
    with open(out, "a") as f:
        f.write(line)
    print(res["name"], res["val"], round(res["functional"]["overall"], 3), res["seconds"], "s", flush=True)


if __name__ == "__main__":
    main(json.loads(sys.argv[1]), sys.argv[2])
