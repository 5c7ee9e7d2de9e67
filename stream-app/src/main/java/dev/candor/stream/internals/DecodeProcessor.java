package dev.candor.stream.internals;

import dev.candor.schemas.DecodeResult;
import dev.candor.schemas.InputDecoder;
import dev.candor.schemas.RejectReason;
import org.apache.kafka.common.header.Header;
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
  private final int maxRecordBytes;
  private final StreamMetrics metrics;
  private FixedKeyProcessorContext<byte[], Decoded> context;

  /**
   * Creates the processor.
   *
   * @param decoder decodes values
   * @param maxRecordBytes larger records (key + value + headers) are rejected unread
   * @param metrics counts records in and dead letters
   */
  public DecodeProcessor(InputDecoder decoder, int maxRecordBytes, StreamMetrics metrics) {
    this.decoder = decoder;
    this.maxRecordBytes = maxRecordBytes;
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
    long size = size(record);
    DecodeResult result =
        size > maxRecordBytes
            ? new DecodeResult.Rejected(
                RejectReason.RECORD_TOO_LARGE,
                "record has "
                    + size
                    + " bytes of key, value and headers, more than the limit of "
                    + maxRecordBytes)
            : decoder.decode(record.key(), record.value(), record.timestamp());
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

  private static long size(FixedKeyRecord<byte[], byte[]> record) {
    long n = (record.key() == null ? 0 : record.key().length);
    n += record.value() == null ? 0 : record.value().length;
    for (Header h : record.headers()) {
      n += h.key().length() + (h.value() == null ? 0 : h.value().length);
    }
    return n;
  }
}
