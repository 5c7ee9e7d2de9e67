package dev.candor.stream.flags.internals;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Reads one detector's keys from the map a {@code Configurable} rule receives: typed values from
 * the stream app's config or raw strings from anyone else, checked the same way.
 */
public final class RuleConfig {

  private final Map<String, ?> configs;

  public RuleConfig(Map<String, ?> configs) {
    this.configs = configs;
  }

  /**
   * A share between 0 and 1.
   *
   * @param key the key
   * @param current the value to keep when the key is absent
   * @return the value
   * @throws ConfigException if it is not a number in [0, 1]
   */
  public double share(String key, double current) {
    Object v = configs.get(key);
    if (v == null) {
      return current;
    }
    double d = (Double) ConfigDef.parseType(key, v, ConfigDef.Type.DOUBLE);
    if (!(d >= 0 && d <= 1)) {
      throw new ConfigException(key, v, "must be between 0 and 1");
    }
    return d;
  }

  /**
   * An integer in a range.
   *
   * @param key the key
   * @param current the value to keep when the key is absent
   * @param min smallest allowed
   * @param max largest allowed
   * @return the value
   * @throws ConfigException if it is not an integer in [min, max]
   */
  public int integer(String key, int current, int min, int max) {
    Object v = configs.get(key);
    if (v == null) {
      return current;
    }
    int i = (Integer) ConfigDef.parseType(key, v, ConfigDef.Type.INT);
    if (i < min || i > max) {
      throw new ConfigException(key, v, "must be between " + min + " and " + max);
    }
    return i;
  }

  /**
   * A list of strings (comma-separated when given as a string).
   *
   * @param key the key
   * @param current the value to keep when the key is absent
   * @return the value
   */
  public List<String> list(String key, List<String> current) {
    Object v = configs.get(key);
    if (v == null) {
      return current;
    }
    @SuppressWarnings("unchecked")
    List<String> l = (List<String>) ConfigDef.parseType(key, v, ConfigDef.Type.LIST);
    return l.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  /**
   * A string.
   *
   * @param key the key
   * @param current the value to keep when the key is absent
   * @return the value
   */
  public String string(String key, String current) {
    Object v = configs.get(key);
    return v == null ? current : String.valueOf(v);
  }
}
