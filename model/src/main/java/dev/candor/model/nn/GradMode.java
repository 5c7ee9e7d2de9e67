package dev.candor.model.nn;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's thread-local autograd switch. New threads start with it on; inference-only threads turn
 * it off so no graph is recorded.
 */
public final class GradMode {
  private GradMode() {}

  public static void disableForThisThread() {
    Engine.getInstance(); // the native library must be loaded before any JniUtils call
    JniUtils.setGradMode(false);
  }

  /** Zeroes a parameter's accumulated gradient in place. */
  public static void zeroGrad(ai.djl.ndarray.NDArray parameter) {
    JniUtils.zeroGrad((ai.djl.pytorch.engine.PtNDArray) parameter);
  }
}
