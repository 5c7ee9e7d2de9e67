package dev.candor.model.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Batches of similar length, so that dynamic padding wastes little: shuffle, cut into pools of
 * {@code POOL} batches, sort each pool by length, slice into batches, shuffle the batch order.
 */
public final class LengthBuckets {
  private static final int POOL = 50;

  private LengthBuckets() {}

  /**
   * @param lengths token count per row
   * @param batchSize rows per batch (the last batch of a pool may be smaller)
   * @param random shuffles rows and batch order
   * @return row indices per batch; every row exactly once
   */
  public static List<int[]> batches(int[] lengths, int batchSize, Random random) {
    List<Integer> order = new ArrayList<>(lengths.length);
    for (int i = 0; i < lengths.length; i++) {
      order.add(i);
    }
    Collections.shuffle(order, random);
    List<int[]> out = new ArrayList<>();
    int pool = batchSize * POOL;
    for (int from = 0; from < order.size(); from += pool) {
      List<Integer> chunk =
          new ArrayList<>(order.subList(from, Math.min(order.size(), from + pool)));
      chunk.sort((a, b) -> Integer.compare(lengths[a], lengths[b]));
      for (int s = 0; s < chunk.size(); s += batchSize) {
        List<Integer> b = chunk.subList(s, Math.min(chunk.size(), s + batchSize));
        out.add(b.stream().mapToInt(Integer::intValue).toArray());
      }
    }
    Collections.shuffle(out, random);
    return out;
  }
}
