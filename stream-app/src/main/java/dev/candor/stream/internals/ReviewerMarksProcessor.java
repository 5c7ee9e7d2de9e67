package dev.candor.stream.internals;

import dev.candor.schemas.avro.CharSpan;
import dev.candor.schemas.avro.Feedback;
import dev.candor.schemas.avro.FeedbackAction;
import dev.candor.stream.flags.internals.ArtifactPatterns;
import dev.candor.stream.flags.internals.Evidence;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processor of the global reviewer-marks store, fed by the feedback topic: which words
 * reviewers currently mark as spurious, for {@code ReviewerRejectedTokenRule}.
 *
 * <p>Rules, kept simple: each feedback record is its reviewer's latest judgement of its text, and
 * it <em>replaces</em> that reviewer's earlier marks on that text with the words its {@code
 * spuriousSpans} cover in {@code Feedback.text} (words as {@link Evidence} splits them, artifacts
 * such as {@code <user>} as one word, lower-cased); version-1 records without spans use {@code
 * spuriousTokens}. A RETRACT withdraws them; a judgement without spans (CONFIRM, RELABEL, DISMISS)
 * leaves none. Spans whose text is absent or does not match {@code textSha256} cannot be resolved
 * and are skipped (counted). Re-deliveries of a record change nothing, so the result does not
 * depend on how often a record is read.
 *
 * <p>The store holds two kinds of keys: {@code j\0<text id>\0<reviewer>} → the words of that
 * judgement (newline-separated), and {@code w\0<word>} → how many judgements mark the word. Being
 * global and in memory, it is rebuilt by re-running this processor over the whole topic on every
 * start (the feedback topic is kept forever), so every instance sees every mark.
 */
public final class ReviewerMarksProcessor implements Processor<String, Feedback, Void, Void> {

  private static final Logger LOG = LoggerFactory.getLogger(ReviewerMarksProcessor.class);
  private static final String JUDGEMENT = "j\u0000";
  private static final String WORD = "w\u0000";

  private final String storeName;
  private final ArtifactPatterns artifacts;
  private final StreamMetrics metrics;
  private KeyValueStore<String, String> store;

  /**
   * Creates the processor.
   *
   * @param storeName the global store
   * @param artifacts what makes one word (the same as the rule's)
   * @param metrics where resolved and unresolved feedback is counted
   */
  public ReviewerMarksProcessor(
      String storeName, ArtifactPatterns artifacts, StreamMetrics metrics) {
    this.storeName = storeName;
    this.artifacts = artifacts;
    this.metrics = metrics;
  }

  /**
   * The global store: in memory and unlogged (the feedback topic is its changelog).
   *
   * @param name store name
   * @return the builder
   */
  public static StoreBuilder<KeyValueStore<String, String>> store(String name) {
    return Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(name), Serdes.String(), Serdes.String())
        .withLoggingDisabled();
  }

  /**
   * How many current judgements mark a word.
   *
   * @param store the global store
   * @param key the lower-cased word
   * @return the count, 0 if none
   */
  public static int marks(ReadOnlyKeyValueStore<String, String> store, String key) {
    String v = store.get(WORD + key);
    return v == null ? 0 : Integer.parseInt(v);
  }

  /** {@inheritDoc} */
  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(storeName);
  }

  /** {@inheritDoc} */
  @Override
  public void process(Record<String, Feedback> record) {
    Feedback f = record.value();
    if (f == null) {
      return; // no tombstones on this topic; nothing to withdraw by text id alone
    }
    String judgement = JUDGEMENT + f.getId() + "\u0000" + f.getReviewer();
    Set<String> words = f.getAction() == FeedbackAction.RETRACT ? Set.of() : words(f);
    String old = store.get(judgement);
    if (old != null) {
      for (String w : old.split("\n")) {
        add(w, -1);
      }
    }
    for (String w : words) {
      add(w, +1);
    }
    if (words.isEmpty()) {
      store.delete(judgement);
    } else {
      store.put(judgement, String.join("\n", words));
    }
  }

  private Set<String> words(Feedback f) {
    Set<String> out = new LinkedHashSet<>();
    List<CharSpan> spans = f.getSpuriousSpans();
    if (!spans.isEmpty()) {
      String text = f.getText();
      if (text == null
          || (f.getTextSha256() != null
              && !f.getTextSha256().equalsIgnoreCase(PredictionFactory.sha256(text)))) {
        LOG.debug(
            "Feedback {} on text {}: spans without a matching text", f.getFeedbackId(), f.getId());
        metrics.feedbackMarks("unresolved");
        return out;
      }
      List<int[]> words = Evidence.segment(text, artifacts);
      for (CharSpan s : spans) {
        if (s.getStart() < 0 || s.getEnd() > text.length() || s.getStart() >= s.getEnd()) {
          metrics.feedbackMarks("invalid");
          continue;
        }
        for (int[] w : words) {
          if (w[0] < s.getEnd() && s.getStart() < w[1]) {
            out.add(Evidence.Unit.key(text.substring(w[0], w[1])));
          }
        }
      }
    } else {
      for (String t : f.getSpuriousTokens()) {
        if (!t.isBlank()) {
          out.add(Evidence.Unit.key(t.strip()));
        }
      }
    }
    out.remove("");
    if (!out.isEmpty()) {
      metrics.feedbackMarks("applied");
    }
    return out;
  }

  private void add(String word, int delta) {
    if (word.isEmpty()) {
      return;
    }
    String key = WORD + word;
    String v = store.get(key);
    int n = (v == null ? 0 : Integer.parseInt(v)) + delta;
    if (n <= 0) {
      store.delete(key);
    } else {
      store.put(key, Integer.toString(n));
    }
  }

  /**
   * The words a judgement marks (for tests and tools).
   *
   * @param store the global store
   * @param textId the text
   * @param reviewer the reviewer
   * @return the words, empty if none
   */
  public static List<String> judgement(
      ReadOnlyKeyValueStore<String, String> store, String textId, String reviewer) {
    String v = store.get(JUDGEMENT + textId + "\u0000" + reviewer);
    return v == null ? List.of() : new ArrayList<>(List.of(v.split("\n")));
  }
}
