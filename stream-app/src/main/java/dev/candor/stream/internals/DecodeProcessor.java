package dev.candor.stream.internals;

import dev.candor.schemas.DecodeResult;
import dev.candor.schemas.InputDecoder;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes raw input with {@link InputDecoder} (which never throws). A rejected record leaves with
 * the dead-letter headers already attached, so its branch only has to restore the original value.
 */
public final class DecodeProcessor implements FixedKeyProcessor<byte[], byte[], Decoded> {

  private static final Logger LOG = LoggerFactory.getLogger(DecodeProcessor.class);

  private final InputDecoder decoder;
  private final StreamMetrics metrics;
  private FixedKeyProcessorContext<byte[], Decoded> context;

  public DecodeProcessor(InputDecoder decoder, StreamMetrics metrics) {
    this.decoder = decoder;
    this.metrics = metrics;
  }

  /** {@inheritDoc} */
  @Override
  public void init(FixedKeyProcessorContext<byte[], Decoded> context) {
    this.context = context;
  }

  /** {@inheritDoc} */
  @Override
  public void process(FixedKeyRecord<byte[], byte[]> record) {
    metrics.recordIn();
    DecodeResult result = decoder.decode(record.key(), record.value(), record.timestamp());
    RecordMetadata m = context.recordMetadata().orElse(null);
    String topic = m == null ? null : m.topic();
    int partition = m == null ? -1 : m.partition();
    long offset = m == null ? -1 : m.offset();
    Decoded decoded = new Decoded(result, record.value(), topic, partition, offset);
    if (result instanceof DecodeResult.Rejected r) {
      LOG.debug(
          "Dead-lettering {}-{}@{}: {} ({})", topic, partition, offset, r.reason(), r.detail());
      metrics.deadLetter(r.reason().name());
      context.forward(
          record
              .withValue(decoded)
              .withHeaders(
                  DeadLetters.headers(
                      record.headers(), r.reason().name(), r.detail(), topic, partition, offset)));
    } else {
      context.forward(record.withValue(decoded));
    }
  }
}
