package dev.candor.schemas;

import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Serde;

/**
 * A topic with the serdes that belong to it, so that a topology cannot pair a topic with the wrong
 * serde: {@code Consumed.with(t.keySerde(), t.valueSerde())}.
 *
 * @param name the topic name, a legal Kafka topic name
 * @param keySerde the key serde
 * @param valueSerde the value serde
 * @param <K> key type
 * @param <V> value type
 */
public record CandorTopic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {

  private static final Pattern LEGAL_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  /** Checks that the name is a legal Kafka topic name and the serdes are present. */
  public CandorTopic {
    Objects.requireNonNull(name, "name cannot be null");
    Objects.requireNonNull(keySerde, "keySerde cannot be null");
    Objects.requireNonNull(valueSerde, "valueSerde cannot be null");
    // Fail at configuration time, not when the broker refuses the first request.
    if (!LEGAL_NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException(
          "Illegal Kafka topic name '"
              + name
              + "': use 1-249 chars of [a-zA-Z0-9._-], not '.' or '..'");
    }
  }

  /** {@inheritDoc} */
  @Override
  public String toString() {
    return name;
  }
}
