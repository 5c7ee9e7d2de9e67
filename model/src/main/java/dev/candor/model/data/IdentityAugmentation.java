package dev.candor.model.data;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Counterfactual identity-term augmentation: a copy of a training text with the terms of one
 * identity it names swapped for the same-form terms of another identity of the same category
 * ({@code muslims} → {@code buddhists}, {@code Women} → {@code Men}), label kept. The lexicon is
 * {@link IdentityTerms}; the rules are in {@code docs/training-data.md}.
 */
public final class IdentityAugmentation {
  private IdentityAugmentation() {}

  /**
   * What {@link #augment} produced.
   *
   * @param examples the original rows, each chosen one followed by its counterfactual copy
   * @param candidates rows that name an identity with a possible swap
   * @param added copies added
   */
  public record Result(List<Example> examples, int candidates, int added) {}

  /**
   * One counterfactual of {@code text}: an identity it names (drawn at random among those with a
   * possible swap) replaced everywhere by another identity of the same category (drawn at random
   * among those that have a term of every form the text uses), letter case kept.
   *
   * @return the swapped text, or empty when the text names no identity that can be swapped
   */
  public static Optional<String> swap(String text, IdentityTerms lexicon, Random random) {
    List<IdentityTerms.Occurrence> found = lexicon.find(text);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Map<String, List<IdentityTerms.Occurrence>> groups = new LinkedHashMap<>();
    for (IdentityTerms.Occurrence o : found) {
      groups
          .computeIfAbsent(o.term().category() + "\t" + o.term().identity(), k -> new ArrayList<>())
          .add(o);
    }
    List<String> keys = new ArrayList<>(groups.keySet());
    Collections.shuffle(keys, random);
    for (String key : keys) {
      List<IdentityTerms.Occurrence> occ = groups.get(key);
      IdentityTerms.Term first = occ.get(0).term();
      Set<String> forms = new LinkedHashSet<>();
      for (IdentityTerms.Occurrence o : occ) {
        forms.add(o.term().form());
      }
      List<String> targets = new ArrayList<>();
      for (String id : lexicon.identities(first.category())) {
        if (id.equals(first.identity())) {
          continue;
        }
        boolean all = true;
        for (String f : forms) {
          all &= lexicon.termFor(first.category(), id, f).isPresent();
        }
        if (all) {
          targets.add(id);
        }
      }
      if (targets.isEmpty()) {
        continue;
      }
      String target = targets.get(random.nextInt(targets.size()));
      StringBuilder sb = new StringBuilder(text);
      for (int i = occ.size() - 1; i >= 0; i--) {
        IdentityTerms.Occurrence o = occ.get(i);
        String to = lexicon.termFor(first.category(), target, o.term().form()).orElseThrow().term();
        sb.replace(o.start(), o.end(), IdentityTerms.matchCase(o.text(), to));
      }
      return Optional.of(sb.toString());
    }
    return Optional.empty();
  }

  /**
   * Adds a counterfactual copy after a seeded random {@code share} of the rows that name a
   * swappable identity ({@code round(share × candidates)} of them). Copies keep the label; their id
   * is the original's with {@code ~swap} appended and their raw JSON records {@code
   * augmented_from}.
   *
   * @param share in [0, 1]; 0 returns the rows unchanged
   */
  public static Result augment(List<Example> rows, double share, long seed, IdentityTerms lexicon) {
    if (!(share >= 0 && share <= 1)) {
      throw new IllegalArgumentException("augmentation share must be in [0, 1], was " + share);
    }
    Random swapRandom = new Random(seed);
    List<Integer> candidates = new ArrayList<>();
    List<String> swapped = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      Optional<String> s =
          share == 0 ? Optional.empty() : swap(rows.get(i).text(), lexicon, swapRandom);
      swapped.add(s.orElse(null));
      if (s.isPresent()) {
        candidates.add(i);
      }
    }
    int k = (int) Math.round(share * candidates.size());
    List<Integer> pick = new ArrayList<>(candidates);
    Collections.shuffle(pick, new Random(seed + 1));
    Set<Integer> chosen = new LinkedHashSet<>(pick.subList(0, k));
    List<Example> out = new ArrayList<>(rows.size() + k);
    for (int i = 0; i < rows.size(); i++) {
      Example e = rows.get(i);
      out.add(e);
      if (chosen.contains(i)) {
        ObjectNode raw =
            e.raw() instanceof ObjectNode o ? o.deepCopy() : JsonNodeFactory.instance.objectNode();
        raw.remove(List.of("tokens", "rationale", "spans"));
        raw.put("text", swapped.get(i));
        raw.put("augmented_from", e.id());
        out.add(new Example(e.id() + "~swap", swapped.get(i), e.label(), raw));
      }
    }
    return new Result(List.copyOf(out), candidates.size(), k);
  }
}
