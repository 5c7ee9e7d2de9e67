package dev.candor.model.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DataMixTest {
  private static List<Integer> rows(int n) {
    return IntStream.range(0, n).boxed().toList();
  }

  @Test
  void shouldParseLocationsWithAndWithoutWeights() {
    assertEquals(
        List.of(new DataMix.Entry("a/hatexplain", 1.0), new DataMix.Entry("b/davidson", 0.3)),
        DataMix.parse("a/hatexplain, b/davidson=0.3"));
    assertEquals(List.of(new DataMix.Entry("x", 2.5)), DataMix.parse("x=2.5"));
    assertEquals("x=2.5,y=1.0", DataMix.format(DataMix.parse("x=2.5,y")));
  }

  @Test
  void shouldRejectBadMixes() {
    assertThrows(IllegalArgumentException.class, () -> DataMix.parse(""));
    assertThrows(IllegalArgumentException.class, () -> DataMix.parse("a,,b"));
    IllegalArgumentException nan =
        assertThrows(IllegalArgumentException.class, () -> DataMix.parse("a=lots"));
    assertTrue(nan.getMessage().contains("'lots'"), nan.getMessage());
    assertThrows(IllegalArgumentException.class, () -> DataMix.parse("a=0"));
    assertThrows(IllegalArgumentException.class, () -> DataMix.parse("a=-1"));
    assertThrows(IllegalArgumentException.class, () -> DataMix.parse("=1"));
  }

  @Test
  void shouldScaleRowsByTheWeight() {
    List<Integer> r = rows(100);
    assertEquals(r, DataMix.weighted(r, 1.0, 7), "weight 1 keeps the rows as they are");
    List<Integer> third = DataMix.weighted(r, 0.3, 7);
    assertEquals(30, third.size());
    assertEquals(30, new HashSet<>(third).size(), "drawn without replacement");
    List<Integer> sorted = new ArrayList<>(third);
    Collections.sort(sorted);
    assertEquals(sorted, third, "kept in file order");
    assertEquals(third, DataMix.weighted(r, 0.3, 7), "seeded");
    assertNotEquals(third, DataMix.weighted(r, 0.3, 8));
    List<Integer> more = DataMix.weighted(r, 2.5, 7);
    assertEquals(250, more.size());
    assertEquals(r, more.subList(0, 100));
    assertEquals(r, more.subList(100, 200));
    assertThrows(IllegalArgumentException.class, () -> DataMix.weighted(r, 0, 1));
  }

  @Test
  void shouldSampleAFixedTotalInProportionToTheWeights() {
    List<Integer> a = rows(1000);
    List<Integer> b = IntStream.range(1000, 1100).boxed().toList();
    List<Integer> s = DataMix.sample(List.of(a, b), List.of(3.0, 1.0), 400, 5);
    assertEquals(400, s.size());
    assertEquals(300, s.stream().filter(x -> x < 1000).count());
    assertEquals(100, s.stream().filter(x -> x >= 1000).count());
    // b has only 100 rows: asking for more gives all of them, no repeats
    List<Integer> capped = DataMix.sample(List.of(a, b), List.of(1.0, 1.0), 400, 5);
    assertEquals(300, capped.size());
    // one source: exactly "shuffle with the seed, take the first n" (the replay sample before
    // mixes)
    List<Integer> pool = new ArrayList<>(a);
    Collections.shuffle(pool, new Random(11));
    assertEquals(pool.subList(0, 50), DataMix.sample(List.of(a), List.of(1.0), 50, 11));
  }
}
