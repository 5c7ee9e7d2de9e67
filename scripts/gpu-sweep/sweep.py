"""GPU replica of Candor's Java recipe (notes/bcos-model.md) for a validation-only settings sweep.

Trains MiniLM-L6 (B-cos or conventional) on HateXplain train, validates each epoch on val (best epoch by
macro-F1, as the Java FineTuner), then measures Comp/Suff (paper deciles, [MASK], signed ranking,
specials excluded) of the B-cos explanation (B-cos models) or of occlusion (conventional models) on the
whole validation split. Prints one JSON line per run.
"""
import gzip, json, math, os, sys, time, random
import torch
import torch.nn.functional as F
from safetensors.torch import load_file
from tokenizers import Tokenizer

DEV = "cuda"
HERE = os.path.dirname(os.path.abspath(__file__))
MAXLEN = 64


def rows(src, split):
    """A staged source split (prepare.sh writes data/<src>/<split>.jsonl.gz with text and label)."""
    with gzip.open(os.path.join(HERE, "data", src, split + ".jsonl.gz"), "rt", encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


tok = Tokenizer.from_file(os.path.join(HERE, "tokenizer.json"))
tok.no_truncation()
tok.no_padding()
CLS, SEP, PAD, MASK = (tok.token_to_id(t) for t in ("[CLS]", "[SEP]", "[PAD]", "[MASK]"))


def encode(text):
    ids = tok.encode(text).ids
    if len(ids) > MAXLEN:
        ids = ids[: MAXLEN - 1] + [SEP]
    return ids


# The data a run trains and validates on; set_data fills them (mix_sweep.py passes a mix of sources).
train_ids = train_y = val_ids = val_y = None
BASE = {k: v.float() for k, v in load_file(os.path.join(HERE, "minilm-f16.safetensors")).items()}


def encoded(rows):
    """(token ids, labels) of rows with text and label."""
    return [encode(r["text"]) for r in rows], [r["label"] for r in rows]


def set_data(train_rows, val_rows):
    global train_ids, train_y, val_ids, val_y
    train_ids, train_y = encoded(train_rows)
    val_ids, val_y = encoded(val_rows)


def params_for(bcos, seed):
    g = torch.Generator().manual_seed(seed)
    p = {}
    for k, v in BASE.items():
        if bcos and k.endswith(".bias"):
            continue
        p[k] = v.clone()
    if not bcos:
        p["bert.pooler.dense.weight"] = torch.randn(384, 384, generator=g) * 0.02
        p["bert.pooler.dense.bias"] = torch.zeros(384)
        p["classifier.bias"] = torch.zeros(2)
    p["classifier.weight"] = torch.randn(2, 384, generator=g) * 0.02
    return {k: v.to(DEV).requires_grad_(True) for k, v in p.items()}


def bcos_linear(x, w, b, explain):
    wn = w / w.norm(dim=1, keepdim=True)
    lin = x @ wn.t()
    if b == 1.0:
        return lin
    nx = torch.sqrt((x * x).sum(-1, keepdim=True) + 1e-6)
    factor = ((lin / nx).abs() + 1e-6) ** (b - 1.0)
    if explain:
        factor = factor.detach()
    return lin * factor


def layer_norm(x, g, beta, explain):
    c = x - x.mean(-1, keepdim=True)
    std = torch.sqrt((c * c).mean(-1, keepdim=True) + 1e-12)
    if explain:
        std = std.detach()
    out = c / std * g
    return out if beta is None else out + beta


def gelu(x, explain):
    phi = 0.5 * (1.0 + torch.erf(x / math.sqrt(2.0)))
    return x * (phi.detach() if explain else phi)


class Net:
    def __init__(self, p, bcos, b):
        self.p, self.bcos, self.b = p, bcos, b

    def g(self, k):
        return self.p.get(k)

    def dense(self, name, x, explain):
        if self.bcos:
            return bcos_linear(x, self.p[name + ".weight"], self.b, explain)
        return x @ self.p[name + ".weight"].t() + self.p[name + ".bias"]

    def proj(self, name, x):
        out = x @ self.p[name + ".weight"].t()
        return out if self.bcos else out + self.p[name + ".bias"]

    def ln(self, name, x, explain):
        return layer_norm(x, self.p[name + ".weight"], None if self.bcos else self.p[name + ".bias"], explain)

    def embed(self, ids):
        T = ids.shape[1]
        x = self.p["bert.embeddings.word_embeddings.weight"][ids]
        x = x + self.p["bert.embeddings.position_embeddings.weight"][:T] + self.p["bert.embeddings.token_type_embeddings.weight"][0]
        return self.ln("bert.embeddings.LayerNorm", x, False)

    def from_emb(self, x, mask, explain=False):
        B, T, H = x.shape
        for i in range(6):
            pre = f"bert.encoder.layer.{i}."
            q = self.proj(pre + "attention.self.query", x).view(B, T, 12, 32).transpose(1, 2)
            k = self.proj(pre + "attention.self.key", x).view(B, T, 12, 32).transpose(1, 2)
            v = self.proj(pre + "attention.self.value", x).view(B, T, 12, 32).transpose(1, 2)
            att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(32) + mask, -1)
            if explain:
                att = att.detach()
            ctx = (att @ v).transpose(1, 2).reshape(B, T, H)
            a = self.ln(pre + "attention.output.LayerNorm", self.dense(pre + "attention.output.dense", ctx, explain) + x, explain)
            inner = gelu(self.dense(pre + "intermediate.dense", a, explain), explain)
            x = self.ln(pre + "output.LayerNorm", self.dense(pre + "output.dense", inner, explain) + a, explain)
        first = x[:, 0]
        if self.bcos:
            return bcos_linear(first, self.p["classifier.weight"], self.b, explain)
        pooled = torch.tanh(first @ self.p["bert.pooler.dense.weight"].t() + self.p["bert.pooler.dense.bias"])
        return pooled @ self.p["classifier.weight"].t() + self.p["classifier.bias"]


def pad(batch):
    T = max(len(s) for s in batch)
    ids = torch.full((len(batch), T), PAD, dtype=torch.long)
    mask = torch.full((len(batch), 1, 1, T), -1e9)
    for i, s in enumerate(batch):
        ids[i, : len(s)] = torch.tensor(s)
        mask[i, ..., : len(s)] = 0
    return ids.to(DEV), mask.to(DEV)


@torch.no_grad()
def probs(net, seqs, bs=512):
    order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))
    out = [None] * len(seqs)
    for s in range(0, len(order), bs):
        idx = order[s : s + bs]
        ids, mask = pad([seqs[i] for i in idx])
        p = torch.softmax(net.from_emb(net.embed(ids), mask), -1).double().cpu()
        for j, i in enumerate(idx):
            out[i] = p[j]
    return out


def auroc(score, pos):
    order = sorted(range(len(score)), key=lambda i: score[i])
    ranks = [0.0] * len(score)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and score[order[j + 1]] == score[order[i]]:
            j += 1
        for t in range(i, j + 1):
            ranks[order[t]] = (i + j) / 2 + 1
        i = j + 1
    npos = sum(pos)
    nneg = len(pos) - npos
    rs = sum(r for r, p in zip(ranks, pos) if p)
    return (rs - npos * (npos + 1) / 2) / (npos * nneg)


def metrics(net):
    pr = probs(net, val_ids)
    pred = [int(p.argmax()) for p in pr]
    acc = sum(int(a == b) for a, b in zip(pred, val_y)) / len(val_y)
    f1s = []
    for c in (0, 1):
        tp = sum(1 for a, b in zip(pred, val_y) if a == c and b == c)
        sup = sum(1 for b in val_y if b == c)
        pa = sum(1 for a in pred if a == c)
        f1s.append(2 * tp / (sup + pa))
    return dict(acc=acc, f1=sum(f1s) / 2, auroc=auroc([float(p[1]) for p in pr], [y == 1 for y in val_y]),
                mean_conf=sum(float(p.max()) for p in pr) / len(pr)), pr, pred


def train_run(bcos, b, lr, epochs, seed=42, bs=16, wd=0.01, clip=1.0, then=None):
    """then: optional (ids, labels, epochs) trained after the first `epochs` under the same LR schedule."""
    torch.manual_seed(seed)
    random.seed(seed)
    p = params_for(bcos, seed)
    net = Net(p, bcos, b)
    decay = [v for k, v in p.items() if not (k.endswith(".bias") or "LayerNorm" in k)]
    nodecay = [v for k, v in p.items() if k.endswith(".bias") or "LayerNorm" in k]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": wd}, {"params": nodecay, "weight_decay": 0.0}],
                            lr=lr, betas=(0.9, 0.999), eps=1e-8)
    stages = [(train_ids, train_y)] * epochs + ([(then[0], then[1])] * then[2] if then else [])
    total = sum(math.ceil(len(ids) / bs) for ids, _ in stages)
    warm = int(0.1 * total)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: (s + 1) / max(1, warm) if s < warm else max(0.0, (total - s) / max(1, total - warm)))
    best, hist = None, []
    for ep, (ep_ids, ep_y) in enumerate(stages):
        order = list(range(len(ep_ids)))
        random.shuffle(order)
        for s in range(0, len(order), bs):
            idx = order[s : s + bs]
            ids, mask = pad([ep_ids[i] for i in idx])
            y = F.one_hot(torch.tensor([ep_y[i] for i in idx], device=DEV), 2).float()
            logits = net.from_emb(net.embed(ids), mask)
            loss = F.binary_cross_entropy_with_logits(logits, y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(list(p.values()), clip)
            opt.step()
            sched.step()
        m, _, _ = metrics(net)
        hist.append(m)
        if best is None or m["f1"] > best[0]["f1"]:
            best = (m, ep + 1, {k: v.detach().clone() for k, v in p.items()})
    for k in p:
        p[k].data.copy_(best[2][k])
    return net, best[0], best[1], hist


def bcos_attr(net, seqs, targets, bs=256):
    out = [None] * len(seqs)
    for s in range(0, len(seqs), bs):
        idx = list(range(s, min(len(seqs), s + bs)))
        ids, mask = pad([seqs[i] for i in idx])
        with torch.no_grad():
            e = net.embed(ids)
        x = e.detach().requires_grad_(True)
        logits = net.from_emb(x, mask, explain=True)
        t = torch.tensor([targets[i] for i in idx], device=DEV)
        sel = logits.gather(1, t[:, None]).sum()
        g, = torch.autograd.grad(sel, x)
        c = (g * x).sum(-1).detach().double().cpu()
        for j, i in enumerate(idx):
            out[i] = c[j, : len(seqs[i])].tolist()
    return out


def occlusion_attr(net, seqs, targets, base_probs):
    rows, where = [], []
    for i, s in enumerate(seqs):
        for j in range(1, len(s) - 1):
            r = list(s)
            r[j] = MASK
            rows.append(r)
            where.append((i, j))
    pr = probs(net, rows)
    out = [[0.0] * len(s) for s in seqs]
    for (i, j), p in zip(where, pr):
        out[i][j] = float(base_probs[i][targets[i]] - p[targets[i]])
    return out


def comp_suff(net, seqs, attrs, preds):
    fr = [0.1 * k for k in range(1, 10)]
    rows, meta = [], []
    for i, (s, a) in enumerate(zip(seqs, attrs)):
        cand = list(range(1, len(s) - 1))
        if not cand:
            continue
        ranked = sorted(cand, key=lambda j: (-a[j], j))
        n = len(ranked)
        rows.append(list(s))
        meta.append((i, "orig", 0))
        for f in fr:
            k = min(n, max(1, int(math.floor(f * n + 0.5 + 1e-9))))
            c = list(s)
            for j in ranked[:k]:
                c[j] = MASK
            rows.append(c)
            meta.append((i, "comp", f))
            u = list(s)
            for j in ranked[k:]:
                u[j] = MASK
            rows.append(u)
            meta.append((i, "suff", f))
    pr = probs(net, rows)
    orig = {}
    for (i, kind, f), p in zip(meta, pr):
        if kind == "orig":
            orig[i] = float(p[preds[i]])
    comp, suff = {}, {}
    for (i, kind, f), p in zip(meta, pr):
        if kind == "orig":
            continue
        d = orig[i] - float(p[preds[i]])
        (comp if kind == "comp" else suff).setdefault(i, []).append(d)
    cm = sum(sum(v) / len(v) for v in comp.values()) / len(comp)
    sm = sum(sum(v) / len(v) for v in suff.values()) / len(suff)
    return cm, sm


def run(cfg):
    t0 = time.time()
    net, best, best_ep, hist = train_run(cfg["bcos"], cfg.get("b", 1.5), cfg["lr"], cfg["epochs"], cfg.get("seed", 42))
    t1 = time.time()
    m, pr, pred = metrics(net)
    res = dict(cfg=cfg, best_epoch=best_ep, val=m, history=[round(h["acc"], 4) for h in hist], train_s=round(t1 - t0, 1))
    if cfg["bcos"]:
        attrs = bcos_attr(net, val_ids, pred)
        res["bcos_comp"], res["bcos_suff"] = comp_suff(net, val_ids, attrs, pred)
    else:
        attrs = occlusion_attr(net, val_ids, pred, pr)
        res["occl_comp"], res["occl_suff"] = comp_suff(net, val_ids, attrs, pred)
    res["total_s"] = round(time.time() - t0, 1)
    print(json.dumps(res), flush=True)
    return res


if __name__ == "__main__":
    set_data(rows("hatexplain", "train"), rows("hatexplain", "val"))
    cfgs = json.loads(sys.argv[1])
    out = sys.argv[2] if len(sys.argv) > 2 else None
    results = []
    for c in cfgs:
        results.append(run(c))
        if out:
            with open(out, "w") as f:
                json.dump(results, f, indent=1)
