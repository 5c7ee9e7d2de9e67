package dev.candor.cli;

import dev.candor.model.data.DataDirectory;
import dev.candor.trainer.ModelRegistry;
import dev.candor.trainer.Trainer;
import dev.candor.trainer.TrainerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer as {@code candor local} runs it: on its own thread in the same process, registry
 * under the local home, one PyTorch thread (note: PyTorch's intra-op thread count is per process,
 * so in {@code candor local} it applies to the stream app too; run {@code candor trainer} as its
 * own process to keep them apart).
 */
final class LocalTrainer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalTrainer.class);

  private final AtomicBoolean stop = new AtomicBoolean();
  private final Thread thread;
  private final Path registry;

  private LocalTrainer(Thread thread, Path registry) {
    this.thread = thread;
    this.registry = registry;
  }

  static LocalTrainer start(
      String bootstrapServers, Path home, Path bundle, Path data, String device, PrintWriter err)
      throws IOException {
    Map<String, String> c = new LinkedHashMap<>();
    c.put(TrainerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    c.put(TrainerConfig.REGISTRY_DIR_CONFIG, home.resolve("registry").toString());
    c.put(TrainerConfig.BOOTSTRAP_BUNDLE_CONFIG, bundle.toString());
    c.put(TrainerConfig.DEVICE_CONFIG, device);
    try {
      Path hx = DataDirectory.dataset(DataDirectory.resolve(data), "hatexplain");
      if (Files.exists(hx.resolve("train.jsonl"))) {
        c.put(TrainerConfig.REPLAY_FILE_CONFIG, hx.resolve("train.jsonl").toString());
        c.put(TrainerConfig.VALIDATION_FILE_CONFIG, hx.resolve("val.jsonl").toString());
      }
    } catch (IllegalArgumentException e) {
      err.println("trainer: no data directory, so no replay; the gate uses held-out feedback");
    }
    TrainerConfig config = TrainerConfig.load(null, c, System.getenv());
    ModelRegistry reg = ModelRegistry.open(config.registryDir());
    LocalTrainer[] self = new LocalTrainer[1];
    Thread t =
        new Thread(
            () -> {
              try (Trainer trainer = new Trainer(config, reg, Trainer.Listener.NONE)) {
                trainer.run(self[0].stop);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (Exception e) {
                LOG.error("the trainer stopped: {}", e.toString(), e);
              }
            },
            "candor-trainer");
    t.setDaemon(true);
    self[0] = new LocalTrainer(t, config.registryDir());
    t.start();
    return self[0];
  }

  Path registry() {
    return registry;
  }

  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    thread.join(60_000);
  }
}
