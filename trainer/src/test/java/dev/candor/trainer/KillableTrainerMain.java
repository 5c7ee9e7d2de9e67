package dev.candor.trainer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The trainer as {@code candor trainer --once} runs it, in a child JVM that {@link TrainerKillIT}
 * SIGKILLs: start (recovery, bootstrap, pending announcement), then one round if feedback arrived
 * after the last recorded round.
 *
 * <p>Arguments: {@code <trainer.properties> <step|-> <step-delay-ms>}. At the named registry step
 * of the round ({@link ModelRegistry.FaultHook}: bundle-written, record-written, current-replaced,
 * announced) the child prints {@code FAULT-POINT <step>} and blocks until the test kills it; steps
 * of {@code start()} do not count. Each fine-tuning step prints {@code STEP i/n} and then sleeps
 * the delay, so that a kill timed at that line lands inside the fine-tuning.
 */
public final class KillableTrainerMain {
  private KillableTrainerMain() {}

  public static void main(String[] args) throws Exception {
    TrainerConfig config = TrainerConfig.load(Path.of(args[0]), Map.of(), Map.of());
    String haltAt = args[1];
    long stepDelayMs = Long.parseLong(args[2]);
    AtomicBoolean armed = new AtomicBoolean();
    ModelRegistry registry =
        ModelRegistry.open(
            config.registryDir(),
            step -> {
              if (armed.get() && step.equals(haltAt)) {
                System.out.println("FAULT-POINT " + step);
                System.out.flush();
                block();
              }
            });
    Trainer.Listener steps =
        new Trainer.Listener() {
          @Override
          public void onStep(int step, int total, double loss, double textsPerSecond) {
            System.out.println("STEP " + step + "/" + total);
            System.out.flush();
            sleep(stepDelayMs);
          }
        };
    int status;
    try (Trainer trainer = new Trainer(config, registry, steps)) {
      trainer.start();
      RegistryState s = registry.state().orElseThrow();
      long fresh = trainer.newFeedback();
      System.out.println(
          "STARTED current=" + s.current() + " published=" + s.published() + " new=" + fresh);
      armed.set(true);
      if (fresh > 0) {
        RoundOutcome o = trainer.runRound();
        System.out.println(
            "ROUND " + o.version() + " " + o.decision() + " published=" + o.published());
      }
      status = 0;
    } catch (IOException | RuntimeException e) {
      e.printStackTrace(System.out);
      status = 1;
    }
    System.out.flush();
    System.exit(status); // Kafka client threads must not keep the JVM alive
  }

  private static void block() {
    while (true) {
      sleep(60_000);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
