package dev.candor.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.model.explain.Explanation;
import dev.candor.schemas.avro.ModelUpdate;
import dev.candor.stream.serving.BundleMismatchException;
import dev.candor.stream.serving.ModelHandle;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ModelHandleTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private static ModelUpdate update(String version, String sha) {
    return new ModelUpdate("candor", version, "/models/" + version, sha, Map.of(), 0L);
  }

  private double swaps(String outcome) {
    var c = registry.find("candor.model.swaps").tag("outcome", outcome).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void shouldSwapOnlyAfterTheBatchInFlightAndThenCloseTheOldModel() throws Exception {
    CountDownLatch inBatch = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    FakeModel slow =
        new FakeModel("v1", 0, t -> false) {
          @Override
          public List<Explanation> explain(List<String> texts) {
            inBatch.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              throw new IllegalStateException(e);
            }
            return super.explain(texts);
          }
        };
    FakeModel next = new FakeModel("v2", 0, t -> false);
    try (ModelHandle handle = new ModelHandle(slow, (dir, sha, version) -> next, registry)) {
      CompletableFuture<ModelHandle.ExplainedBatch> batch =
          CompletableFuture.supplyAsync(() -> handle.explain(List.of("a text")));
      assertTrue(inBatch.await(10, TimeUnit.SECONDS));
      CompletableFuture<Boolean> swap =
          CompletableFuture.supplyAsync(() -> handle.swapNow(update("v2", "ab")));

      Thread.sleep(200);
      assertFalse(swap.isDone(), "the swap waits for the batch in flight");
      assertFalse(slow.closed);

      release.countDown();
      assertEquals("v1", batch.get(10, TimeUnit.SECONDS).modelVersion(), "a batch is never split");
      assertTrue(swap.get(10, TimeUnit.SECONDS));
      assertTrue(slow.closed, "old model closed after its batch");
      assertEquals("v2", handle.version());
      assertEquals("v2", handle.explain(List.of("later")).modelVersion());
      assertEquals(1, swaps("applied"));
    }
    assertTrue(next.closed, "closing the handle closes the current model");
  }

  @Test
  void shouldRefuseAMismatchedBundleAndKeepTheRunningModel() {
    FakeModel running = new FakeModel("v1", 0, t -> false);
    try (ModelHandle handle =
        new ModelHandle(
            running,
            (dir, sha, version) -> {
              throw new BundleMismatchException("manifest differs");
            },
            registry)) {
      assertFalse(handle.swapNow(update("v2", "cd")));
      assertEquals("v1", handle.version());
      assertFalse(running.closed);
      assertEquals(1, swaps("refused"));
    }
  }

  @Test
  void shouldNotReloadTheRunningBundleButTakeTheAnnouncedVersionName() {
    FakeModel running =
        new FakeModel("dir@abc", 0, t -> false) {
          @Override
          public String manifestSha256() {
            return "abc";
          }
        };
    try (ModelHandle handle =
        new ModelHandle(
            running,
            (dir, sha, version) -> {
              throw new AssertionError("must not reload the running bundle");
            },
            registry)) {
      assertFalse(handle.swapNow(update("release-7", "ABC")));
      assertEquals("release-7", handle.version());
      assertEquals("release-7", handle.explain(List.of("x")).modelVersion());
      assertFalse(running.closed);
      assertEquals(1, swaps("skipped"));
    }
  }

  @Test
  void shouldCountAnUnloadableBundleAsFailed() {
    try (ModelHandle handle =
        new ModelHandle(
            new FakeModel("v1", 0, t -> false),
            (dir, sha, version) -> {
              throw new java.nio.file.NoSuchFileException(dir.toString());
            },
            registry)) {
      assertFalse(handle.swapNow(update("v2", "cd")));
      assertEquals(1, swaps("failed"));
    }
  }

  @Test
  void shouldApplyQueuedUpdatesOffTheCallingThread() throws Exception {
    FakeModel next = new FakeModel("v3", 0, t -> false);
    try (ModelHandle handle =
        new ModelHandle(
            new FakeModel("v1", 0, t -> false),
            (dir, sha, version) -> {
              assertTrue(Thread.currentThread().getName().startsWith("candor-model-loader"));
              return next;
            },
            registry)) {
      handle.requestSwap(update("v3", "ef"));
      CandorTopologyTest.await(() -> "v3".equals(handle.version()), "v3");
    }
  }

  @Test
  void shouldNotInstallAnUpdateSupersededWhileItLoaded() throws Exception {
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    FakeModel stale = new FakeModel("v2", 0, t -> false);
    FakeModel latest = new FakeModel("v3", 0, t -> false);
    List<String> versionsSeen = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (ModelHandle handle =
        new ModelHandle(
            new FakeModel("v1", 0, t -> false),
            (dir, sha, version) -> {
              if (version.equals("v2")) {
                loading.countDown();
                try {
                  release.await();
                } catch (InterruptedException e) {
                  throw new java.io.InterruptedIOException("interrupted");
                }
                return stale;
              }
              return latest;
            },
            registry)) {
      handle.requestSwap(update("v2", "b2"));
      assertTrue(loading.await(10, TimeUnit.SECONDS));
      handle.requestSwap(update("v3", "b3")); // e.g. replayed right after v2 on a restart
      CompletableFuture<Void> watcher =
          CompletableFuture.runAsync(
              () -> {
                while (!"v3".equals(handle.version())) {
                  versionsSeen.add(handle.version());
                  Thread.onSpinWait();
                }
              });
      release.countDown();
      CandorTopologyTest.await(() -> "v3".equals(handle.version()), "v3");
      watcher.get(10, TimeUnit.SECONDS);

      assertFalse(versionsSeen.contains("v2"), "the superseded v2 was never current");
      assertTrue(stale.closed, "the superseded model is freed");
      assertEquals(1, swaps("superseded"));
      assertEquals(1, swaps("applied"));
    }
  }

  @Test
  void shouldRejectExplainAfterClose() {
    ModelHandle handle =
        new ModelHandle(new FakeModel("v1", 0, t -> false), (d, s, v) -> null, registry);
    handle.close();
    assertThrows(IllegalStateException.class, () -> handle.explain(List.of("x")));
  }

  @Test
  void shouldClassifyOnlyWithTheVersionThatExplainedTheBatch() {
    FakeModel fake = new FakeModel("fake@1", 0.0, t -> false);
    try (ModelHandle handle =
        new ModelHandle(
            fake,
            (d, s, v) -> {
              throw new java.io.IOException("not in this test");
            },
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry())) {
      List<dev.candor.model.explain.Prediction> p =
          dev.candor.stream.flags.FlagContext.of(handle, "fake@1", w -> 0)
              .classify(List.of("a b", "c"));
      assertEquals(2, p.size());
      assertEquals(1, fake.batches.get());
      IllegalStateException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              IllegalStateException.class,
              () ->
                  dev.candor.stream.flags.FlagContext.of(handle, "fake@0", w -> 0)
                      .classify(List.of("a")));
      assertEquals("model swapped from fake@0 to fake@1 meanwhile", e.getMessage());
      assertEquals(1, fake.batches.get(), "no forward pass for a stale version");
    }
  }
}
