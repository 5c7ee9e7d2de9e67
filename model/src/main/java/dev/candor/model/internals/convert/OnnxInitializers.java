package dev.candor.model.internals.convert;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the float32 initializers of an ONNX model and names each MatMul weight after the node that
 * consumes it.
 *
 * <p>A hand-written protobuf reader keeps the model module free of the ONNX runtime: only the
 * fields needed here are decoded (ModelProto.graph, GraphProto.node / initializer, NodeProto input
 * / name / op_type, TensorProto dims / data_type / float_data / name / raw_data).
 */
public final class OnnxInitializers {
  private static final int ONNX_FLOAT = 1;

  private OnnxInitializers() {}

  /** One initializer: name, shape and float32 values in row-major order. */
  public record Tensor(String name, long[] shape, float[] values) {}

  /** One graph node, reduced to what the name mapping needs. */
  public record Node(String name, String opType, List<String> inputs) {}

  /** Initializers and nodes of a graph. */
  public record Graph(Map<String, Tensor> initializers, List<Node> nodes) {}

  public static Graph read(InputStream in) throws IOException {
    return read(in.readAllBytes());
  }

  public static Graph read(byte[] model) {
    ProtoReader top = new ProtoReader(ByteBuffer.wrap(model));
    Map<String, Tensor> initializers = new LinkedHashMap<>();
    List<Node> nodes = new ArrayList<>();
    while (top.hasMore()) {
      int tag = top.readTag();
      if (tag >>> 3 == 7 && (tag & 7) == 2) {
        ProtoReader graph = top.readMessage();
        while (graph.hasMore()) {
          int gtag = graph.readTag();
          int field = gtag >>> 3;
          if (field == 1 && (gtag & 7) == 2) {
            nodes.add(readNode(graph.readMessage()));
          } else if (field == 5 && (gtag & 7) == 2) {
            Tensor t = readTensor(graph.readMessage());
            if (t != null) {
              initializers.put(t.name(), t);
            }
          } else {
            graph.skip(gtag);
          }
        }
      } else {
        top.skip(tag);
      }
    }
    return new Graph(initializers, nodes);
  }

  private static Node readNode(ProtoReader r) {
    List<String> inputs = new ArrayList<>();
    String name = "";
    String op = "";
    while (r.hasMore()) {
      int tag = r.readTag();
      switch (tag >>> 3) {
        case 1 -> inputs.add(r.readString());
        case 3 -> name = r.readString();
        case 4 -> op = r.readString();
        default -> r.skip(tag);
      }
    }
    return new Node(name, op, inputs);
  }

  private static Tensor readTensor(ProtoReader r) {
    List<Long> dims = new ArrayList<>();
    int dataType = 0;
    String name = "";
    float[] floats = null;
    ByteBuffer raw = null;
    List<Float> unpacked = new ArrayList<>();
    while (r.hasMore()) {
      int tag = r.readTag();
      int field = tag >>> 3;
      int wire = tag & 7;
      if (field == 1 && wire == 0) {
        dims.add(r.readVarint());
      } else if (field == 1 && wire == 2) {
        ProtoReader packed = r.readMessage();
        while (packed.hasMore()) {
          dims.add(packed.readVarint());
        }
      } else if (field == 2 && wire == 0) {
        dataType = (int) r.readVarint();
      } else if (field == 4 && wire == 2) {
        ByteBuffer b = r.readBytes().order(ByteOrder.LITTLE_ENDIAN);
        floats = new float[b.remaining() / 4];
        b.asFloatBuffer().get(floats);
      } else if (field == 4 && wire == 5) {
        unpacked.add(r.readFixed32Float());
      } else if (field == 8 && wire == 2) {
        name = r.readString();
      } else if (field == 9 && wire == 2) {
        raw = r.readBytes();
      } else {
        r.skip(tag);
      }
    }
    if (dataType != ONNX_FLOAT) {
      return null; // shape constants (int64) are not weights
    }
    long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
    if (raw != null) {
      ByteBuffer b = raw.order(ByteOrder.LITTLE_ENDIAN);
      floats = new float[b.remaining() / 4];
      b.asFloatBuffer().get(floats);
    } else if (floats == null) {
      floats = new float[unpacked.size()];
      for (int i = 0; i < floats.length; i++) {
        floats[i] = unpacked.get(i);
      }
    }
    return new Tensor(name, shape, floats);
  }

  /** Minimal protobuf wire-format reader over a buffer slice. */
  private static final class ProtoReader {
    private final ByteBuffer buf;

    ProtoReader(ByteBuffer buf) {
      this.buf = buf;
    }

    boolean hasMore() {
      return buf.hasRemaining();
    }

    int readTag() {
      return (int) readVarint();
    }

    long readVarint() {
      long result = 0;
      int shift = 0;
      while (true) {
        byte b = buf.get();
        result |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          return result;
        }
        shift += 7;
        if (shift > 63) {
          throw new IllegalArgumentException("malformed ONNX file: varint too long");
        }
      }
    }

    float readFixed32Float() {
      return buf.order(ByteOrder.LITTLE_ENDIAN).getFloat();
    }

    ByteBuffer readBytes() {
      int len = (int) readVarint();
      if (len < 0 || len > buf.remaining()) {
        throw new IllegalArgumentException("malformed ONNX file: field length " + len);
      }
      ByteBuffer slice = buf.slice();
      slice.limit(len);
      buf.position(buf.position() + len);
      return slice;
    }

    ProtoReader readMessage() {
      return new ProtoReader(readBytes());
    }

    String readString() {
      ByteBuffer b = readBytes();
      byte[] bytes = new byte[b.remaining()];
      b.get(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    }

    void skip(int tag) {
      switch (tag & 7) {
        case 0 -> readVarint();
        case 1 -> buf.position(buf.position() + 8);
        case 2 -> readBytes();
        case 5 -> buf.position(buf.position() + 4);
        default ->
            throw new IllegalArgumentException("malformed ONNX file: wire type " + (tag & 7));
      }
    }
  }
}
