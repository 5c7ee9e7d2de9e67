package dev.candor.model;

import dev.candor.model.nn.GradMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One dedicated daemon thread that runs model work, one task after another.
 *
 * <p>PyTorch allows one gradient collector per process and keeps its autograd switch per thread:
 * running every forward and backward pass here rules out overlapping collectors, and the thread's
 * grad mode is turned off once at start (each explanation records its graph explicitly inside a
 * collector).
 *
 * <p>A task's failure reaches the caller undisguised: an {@link Error} (out of memory, a native
 * crash surfacing as {@code LinkageError}) and a {@link RuntimeException} are rethrown as they are,
 * so callers can tell a dying JVM from a bad input; a checked exception is wrapped in {@link
 * UncheckedIOException} (for an {@link IOException}) or {@link CompletionException}, the cause
 * kept.
 */
public final class ModelThread implements AutoCloseable {
  private final ExecutorService executor;

  /**
   * Starts the thread and turns its grad mode off.
   *
   * @param name thread name, shown in thread dumps (cannot be {@code null})
   */
  public ModelThread(String name) {
    Objects.requireNonNull(name, "name cannot be null");
    this.executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            });
    try {
      call(
          () -> {
            GradMode.disableForThisThread();
            return null;
          });
    } catch (RuntimeException | Error e) {
      executor.shutdown(); // no engine: do not leave the thread behind
      throw e;
    }
  }

  /**
   * Runs {@code task} on this thread and waits for it.
   *
   * @throws CancellationException if the caller is interrupted while waiting (its interrupt flag is
   *     restored; the task itself runs to its end, as native work cannot be interrupted)
   */
  public <T> T call(Callable<T> task) {
    Future<T> f = executor.submit(task);
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      CancellationException c =
          new CancellationException("interrupted while waiting for the model");
      c.initCause(e);
      throw c;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw unchecked(e.getCause());
    }
  }

  private static RuntimeException unchecked(Throwable cause) {
    if (cause instanceof RuntimeException runtime) {
      return runtime;
    }
    if (cause instanceof IOException io) {
      return new UncheckedIOException(io);
    }
    return new CompletionException(cause);
  }

  /** Stops the thread after the queued tasks. */
  @Override
  public void close() {
    executor.shutdown();
  }
}
