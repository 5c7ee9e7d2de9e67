package dev.candor.model.nn;

import java.util.Arrays;

/**
 * A named weight outside native memory: its shape and float32 values in row-major order.
 *
 * @param shape dimensions
 * @param values {@code product(shape)} values
 */
public record TensorData(long[] shape, float[] values) {
  public TensorData {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    if (n != values.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs " + n + " values, got " + values.length);
    }
  }

  public String shapeString() {
    return Arrays.toString(shape);
  }
}
