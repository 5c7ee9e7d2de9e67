package dev.candor.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;

/**
 * Where every Candor process (stream app, trainer, dashboard) reads its {@code candor.*} settings
 * from: a properties file, then environment variables named after the keys ({@code candor.a.b} is
 * overridden by {@code CANDOR_A_B}). One convention, so that docker-compose and operators set all
 * three processes alike.
 */
public final class ConfigSources {

  private ConfigSources() {}

  /**
   * Reads a properties file.
   *
   * @param file the file, or {@code null} for no file
   * @return its properties (empty for {@code null})
   * @throws ConfigException if the file cannot be read
   */
  public static Properties read(Path file) {
    Properties p = new Properties();
    if (file != null) {
      try (InputStream in = Files.newInputStream(file)) {
        p.load(in);
      } catch (IOException e) {
        throw new ConfigException("Cannot read config file " + file + ": " + e);
      }
    }
    return p;
  }

  /**
   * Returns {@code props} with every key of {@code keys} that has an environment variable in {@code
   * env} replaced by that variable's value.
   *
   * @param props base values (not changed)
   * @param keys the defined keys
   * @param env environment variables
   * @return a new map
   */
  public static Map<Object, Object> withEnvironment(
      Map<?, ?> props, Collection<String> keys, Map<String, String> env) {
    Map<Object, Object> merged = new HashMap<>(props);
    for (String key : keys) {
      String value = env.get(envName(key));
      if (value != null) {
        merged.put(key, value);
      }
    }
    return merged;
  }

  /**
   * The environment variable that overrides {@code key}.
   *
   * @param key a key such as {@code candor.max.batch.size}
   * @return e.g. {@code CANDOR_MAX_BATCH_SIZE}
   */
  public static String envName(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
