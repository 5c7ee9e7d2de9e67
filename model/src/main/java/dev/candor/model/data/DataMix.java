package dev.candor.model.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Several labelled sources mixed with weights: the one mechanism behind {@code candor train --data
 * A,B=0.3} and the trainer's replay sample ({@code candor.replay.file=a.jsonl,b.jsonl=0.3}).
 *
 * <p>A mix is written {@code LOCATION[=WEIGHT],LOCATION[=WEIGHT],...}; a missing weight is 1. What
 * a weight means depends on the use, both documented in {@code docs/training-data.md}:
 *
 * <ul>
 *   <li>{@link #weighted}: a multiplier on a source's rows (1 all rows once, 0.3 a seeded random 30
 *       %, 2.5 every row twice plus a random half);
 *   <li>{@link #sample}: relative shares of a fixed total (the replay sample size).
 * </ul>
 */
public final class DataMix {
  private DataMix() {}

  /**
   * One source of a mix.
   *
   * @param location a directory, file or dataset name as written
   * @param weight its mixing weight (&gt; 0)
   */
  public record Entry(String location, double weight) {
    public Entry {
      if (location == null || location.isBlank()) {
        throw new IllegalArgumentException("a data source needs a location");
      }
      if (!(weight > 0) || Double.isInfinite(weight)) {
        throw new IllegalArgumentException(
            "mixing weight of " + location + " must be a positive number, was " + weight);
      }
    }
  }

  /**
   * Parses {@code A[=W],B[=W],...}.
   *
   * @throws IllegalArgumentException for an empty list, an empty entry or a weight that is not a
   *     positive number
   */
  public static List<Entry> parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("no data source given");
    }
    List<Entry> out = new ArrayList<>();
    for (String part : spec.split(",", -1)) {
      String p = part.strip();
      if (p.isEmpty()) {
        throw new IllegalArgumentException("empty data source in '" + spec + "'");
      }
      int eq = p.lastIndexOf('=');
      if (eq < 0) {
        out.add(new Entry(p, 1.0));
        continue;
      }
      String w = p.substring(eq + 1).strip();
      double weight;
      try {
        weight = Double.parseDouble(w);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "mixing weight of " + p.substring(0, eq) + " is not a number: '" + w + "'");
      }
      out.add(new Entry(p.substring(0, eq).strip(), weight));
    }
    return List.copyOf(out);
  }

  /** Writes entries back as {@code A=W,B=W}. */
  public static String format(List<Entry> entries) {
    List<String> parts = new ArrayList<>();
    for (Entry e : entries) {
      parts.add(e.location() + "=" + String.format(Locale.ROOT, "%s", e.weight()));
    }
    return String.join(",", parts);
  }

  /**
   * A source's rows scaled by a multiplier: {@code floor(weight)} copies of every row in file
   * order, then {@code round(frac(weight) · n)} rows drawn without replacement (seeded) and kept in
   * file order. Weight 1 returns the rows unchanged.
   */
  public static <T> List<T> weighted(List<T> rows, double weight, long seed) {
    if (!(weight > 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("weight must be a positive number, was " + weight);
    }
    int whole = (int) Math.floor(weight);
    double frac = weight - whole;
    List<T> out = new ArrayList<>();
    for (int i = 0; i < whole; i++) {
      out.addAll(rows);
    }
    int extra = (int) Math.round(frac * rows.size());
    if (extra > 0) {
      List<Integer> idx = new ArrayList<>(rows.size());
      for (int i = 0; i < rows.size(); i++) {
        idx.add(i);
      }
      Collections.shuffle(idx, new Random(seed));
      List<Integer> chosen = new ArrayList<>(idx.subList(0, extra));
      Collections.sort(chosen);
      for (int i : chosen) {
        out.add(rows.get(i));
      }
    }
    return out;
  }

  /**
   * A sample of {@code total} rows from several sources in proportion to their weights: source
   * {@code i} gives {@code round(total · w_i / Σw)} rows (at most all it has), drawn by shuffling
   * it with seed {@code seed + i}. With one source this is "shuffle with {@code seed}, take the
   * first {@code total}".
   *
   * @param sources each source's rows
   * @param weights one weight per source
   */
  public static <T> List<T> sample(
      List<? extends List<T>> sources, List<Double> weights, int total, long seed) {
    if (sources.size() != weights.size()) {
      throw new IllegalArgumentException("one weight per source");
    }
    double sum = 0;
    for (double w : weights) {
      if (!(w > 0) || Double.isInfinite(w)) {
        throw new IllegalArgumentException("weights must be positive numbers, were " + weights);
      }
      sum += w;
    }
    List<T> out = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      List<T> pool = new ArrayList<>(sources.get(i));
      Collections.shuffle(pool, new Random(seed + i));
      int n = sources.size() == 1 ? total : (int) Math.round(total * weights.get(i) / sum);
      out.addAll(pool.subList(0, Math.min(Math.max(n, 0), pool.size())));
    }
    return out;
  }
}
