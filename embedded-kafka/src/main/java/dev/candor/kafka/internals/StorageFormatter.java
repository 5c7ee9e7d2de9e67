package dev.candor.kafka.internals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kafka.server.KafkaConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Does what {@code kafka-storage.sh format} does, in-process. */
public final class StorageFormatter {

  private static final Logger LOG = LoggerFactory.getLogger(StorageFormatter.class);

  private StorageFormatter() {}

  /**
   * Formats the log directory of {@code config} unless it is already formatted, so that a
   * persistent data directory keeps its topics across restarts.
   *
   * @param config the broker config
   * @param logDir the single log directory, which also holds the metadata log
   * @throws Exception if formatting fails
   */
  public static void formatIfNeeded(KafkaConfig config, String logDir) throws Exception {
    // Formatting again, even with ignoreFormatted, insists on the original cluster id, which
    // only the directory itself knows; an existing meta.properties means there is nothing to do.
    if (Files.exists(Path.of(logDir, "meta.properties"))) {
      LOG.debug("Storage in {} already formatted", logDir);
      return;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Formatter formatter =
        new Formatter()
            .setPrintStream(new PrintStream(out, true, StandardCharsets.UTF_8))
            .setClusterId(Uuid.randomUuid().toString())
            .setNodeId(config.nodeId())
            .setControllerListenerName(config.controllerListenerNames().get(0))
            .setMetadataLogDirectory(config.metadataLogDir())
            .setDirectories(List.of(logDir))
            .setIgnoreFormatted(false)
            .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION);
    formatter.run();
    // The formatter talks to a console; keep its lines out of the way but available.
    LOG.debug("Storage formatter: {}", out.toString(StandardCharsets.UTF_8).trim());
  }
}
