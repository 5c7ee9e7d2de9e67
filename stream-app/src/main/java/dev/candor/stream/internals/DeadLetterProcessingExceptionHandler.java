package dev.candor.stream.internals;

import dev.candor.schemas.DeadLetterHeaders;
import dev.candor.stream.serving.FatalModelException;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' log-and-continue processing handler (KIP-1033) writing the failed input record to
 * the dead-letter topic (KIP-1034, {@code errors.dead.letter.queue.topic.name}), plus Candor's
 * reason header and dead-letter counter. It catches what the topology does not expect, so one buggy
 * record never stops the stream. A {@link FatalModelException} (the model is broken, not the
 * record) is the exception: it fails the stream thread and nothing is dead-lettered.
 */
public class DeadLetterProcessingExceptionHandler extends LogAndContinueProcessingExceptionHandler {

  /**
   * Config key under which StreamApp passes its {@link MeterRegistry} (an object, not a string).
   */
  public static final String METER_REGISTRY_CONFIG = "candor.internal.meter.registry";

  private static final Logger LOG =
      LoggerFactory.getLogger(DeadLetterProcessingExceptionHandler.class);

  private StreamMetrics metrics;

  /** {@inheritDoc} */
  @Override
  public void configure(Map<String, ?> configs) {
    super.configure(configs);
    if (configs.get(METER_REGISTRY_CONFIG) instanceof MeterRegistry r) {
      metrics = new StreamMetrics(r);
    }
  }

  /** {@inheritDoc} */
  @Override
  public Response handleError(
      ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    if (isFatal(exception)) {
      // The model is broken, not this record: stop (the transaction aborts, offsets stay
      // uncommitted) instead of dead-lettering; a restart processes the record again.
      LOG.error(
          "Fatal model failure in {} at {}-{}@{}; failing the stream thread",
          context.processorNodeId(),
          context.topic(),
          context.partition(),
          context.offset());
      return Response.fail();
    }
    Response r = super.handleError(context, record, exception);
    for (ProducerRecord<byte[], byte[]> dl : r.deadLetterQueueRecords()) {
      dl.headers()
          .add(
              DeadLetterHeaders.REASON,
              DeadLetterHeaders.PROCESSING_ERROR.getBytes(StandardCharsets.UTF_8));
      dl.headers()
          .add(
              DeadLetterHeaders.DETAIL, String.valueOf(exception).getBytes(StandardCharsets.UTF_8));
    }
    if (metrics != null) {
      metrics.deadLetter(DeadLetterHeaders.PROCESSING_ERROR);
    }
    return r;
  }

  private static boolean isFatal(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof FatalModelException) {
        return true;
      }
    }
    return false;
  }
}
