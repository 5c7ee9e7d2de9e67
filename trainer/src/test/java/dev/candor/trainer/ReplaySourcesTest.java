package dev.candor.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.candor.model.data.DataMix;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplaySourcesTest {
  private static TrainerConfig config(String replay) {
    return new TrainerConfig(
        Map.of(
            TrainerConfig.BOOTSTRAP_SERVERS_CONFIG,
            "localhost:9092",
            TrainerConfig.REGISTRY_DIR_CONFIG,
            "/tmp/registry",
            TrainerConfig.BOOTSTRAP_BUNDLE_CONFIG,
            "/tmp/bundle",
            TrainerConfig.REPLAY_FILE_CONFIG,
            replay));
  }

  @Test
  void shouldReadOneOrSeveralReplayFilesWithWeights() {
    assertEquals(List.of(), config("").replaySources());
    assertEquals(
        List.of(new DataMix.Entry("/d/hatexplain/train.jsonl", 1.0)),
        config("/d/hatexplain/train.jsonl").replaySources());
    assertEquals(
        List.of(
            new DataMix.Entry("/d/hatexplain/train.jsonl", 1.0),
            new DataMix.Entry("/d/davidson/train.jsonl", 0.3)),
        config("/d/hatexplain/train.jsonl,/d/davidson/train.jsonl=0.3").replaySources());
    assertThrows(IllegalArgumentException.class, () -> config("a.jsonl=x").replaySources());
  }
}
