package dev.candor.evaluation.posthoc;

import dev.candor.model.nn.GradMode;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One dedicated thread for all model work of an evaluation. PyTorch's grad mode is per thread and
 * only one gradient collector may be open per process, so running every explainer here, one call
 * after another, rules out overlapping collectors.
 */
public final class ModelWorker implements AutoCloseable {
  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "candor-evaluation");
            t.setDaemon(true);
            return t;
          });

  public ModelWorker() {
    call(
        () -> {
          GradMode.disableForThisThread();
          return null;
        });
  }

  public <T> T call(Callable<T> task) {
    Future<T> f = executor.submit(task);
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  @Override
  public void close() {
    executor.shutdown();
  }
}
