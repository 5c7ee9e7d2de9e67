package dev.candor.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Scalar constants as 0-d arrays.
 *
 * <p>On DJL 0.36 / PyTorch 2.7.1 CPU, array-with-Java-number ops ({@code mul(2)}, {@code pow(b)})
 * corrupted gradients (the temporary scalar is freed too early), so every constant on a gradient
 * path is an array of the same dtype and device as the data.
 */
final class Scalars {
  private final NDManager manager;
  private final DataType dtype;

  Scalars(NDArray like) {
    this.manager = like.getManager();
    this.dtype = like.getDataType();
  }

  NDArray of(double value) {
    return dtype == DataType.FLOAT64 ? manager.create(value) : manager.create((float) value);
  }
}
