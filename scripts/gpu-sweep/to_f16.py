"""Writes the encoder tensors of a Candor bundle's model.safetensors as float16 (half the bytes, so the
weights fit the 64 MiB that travels to a lent GPU machine). Standard library only."""
import array, json, struct, sys

src, dst = sys.argv[1], sys.argv[2]
raw = open(src, "rb").read()
n = struct.unpack("<Q", raw[:8])[0]
header = json.loads(raw[8 : 8 + n])
out_header, chunks, offset = {}, [], 0
for name, t in header.items():
    if name == "__metadata__" or name.startswith(("bert.pooler", "classifier")):
        continue  # fresh heads are drawn by sweep.py
    if t["dtype"] != "F32":
        sys.exit(f"{name}: expected F32, found {t['dtype']}")
    a, b = t["data_offsets"]
    values = array.array("f")
    values.frombytes(raw[8 + n + a : 8 + n + b])
    data = struct.pack("<%de" % len(values), *values)
    out_header[name] = {"dtype": "F16", "shape": t["shape"], "data_offsets": [offset, offset + len(data)]}
    chunks.append(data)
    offset += len(data)
h = json.dumps(out_header).encode()
h += b" " * ((8 - len(h) % 8) % 8)
with open(dst, "wb") as f:
    f.write(struct.pack("<Q", len(h)))
    f.write(h)
    for c in chunks:
        f.write(c)
print(f"wrote {dst}: {offset / 1e6:.1f} MB of float16")
