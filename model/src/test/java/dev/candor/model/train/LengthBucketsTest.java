package dev.candor.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LengthBucketsTest {

  @Test
  void shouldUseEveryRowOnceInBatchesOfSimilarLength() {
    Random lengthsRandom = new Random(3);
    int[] lengths = new int[2000];
    for (int i = 0; i < lengths.length; i++) {
      lengths[i] = 2 + lengthsRandom.nextInt(63);
    }
    List<int[]> batches = LengthBuckets.batches(lengths, 16, new Random(1));
    int[] seen = new int[lengths.length];
    long padded = 0;
    long shuffledPadded = 0;
    for (int[] b : batches) {
      assertTrue(b.length >= 1 && b.length <= 16, "batch of " + b.length);
      int longest = 0;
      for (int i : b) {
        seen[i]++;
        longest = Math.max(longest, lengths[i]);
      }
      padded += (long) longest * b.length;
    }
    assertTrue(Arrays.stream(seen).allMatch(c -> c == 1), "every row exactly once");
    // the same rows in input order (uniform random lengths): padding to the batch's longest
    for (int from = 0; from < lengths.length; from += 16) {
      int longest = 0;
      for (int i = from; i < Math.min(lengths.length, from + 16); i++) {
        longest = Math.max(longest, lengths[i]);
      }
      shuffledPadded += (long) longest * Math.min(16, lengths.length - from);
    }
    long tokens = Arrays.stream(lengths).asLongStream().sum();
    assertTrue(
        padded < 1.1 * tokens && shuffledPadded > 1.5 * tokens,
        "padded " + padded + " vs unsorted " + shuffledPadded + " for " + tokens + " tokens");
    assertEquals(125, batches.size());
  }
}
