package dev.candor.stream;

import java.time.Instant;

/** Clocks shared by the topology test-driver tests and the micro-batch processor test. */
public final class TestClocks {
  private TestClocks() {}

  /**
   * The test driver's initial mock wall clock: ahead of the system clock, because the micro-batch
   * takes the later of the runtime's time and the system clock, and the mock time must win.
   */
  public static final Instant MOCK_WALL_CLOCK = Instant.parse("2200-01-01T00:00:00Z");
}
