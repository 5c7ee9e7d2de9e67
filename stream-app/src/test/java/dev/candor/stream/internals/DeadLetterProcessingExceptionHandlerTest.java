package dev.candor.stream.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.schemas.DeadLetterHeaders;
import dev.candor.stream.serving.FatalModelException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

class DeadLetterProcessingExceptionHandlerTest {

  @Test
  void shouldDeadLetterTheSourceRecordWithAReasonAndCountItAndContinue() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    DeadLetterProcessingExceptionHandler handler = handler(registry);

    ProcessingExceptionHandler.Response r =
        handler.handleError(
            new Context(), new Record<>("k", "v", 1L), new IllegalStateException("boom"));

    assertEquals(ProcessingExceptionHandler.Result.RESUME, r.result());
    assertEquals(1, r.deadLetterQueueRecords().size());
    ProducerRecord<byte[], byte[]> dl = r.deadLetterQueueRecords().get(0);
    assertEquals("dlq", dl.topic());
    assertEquals("raw-value", new String(dl.value(), StandardCharsets.UTF_8));
    assertEquals(
        DeadLetterHeaders.PROCESSING_ERROR,
        DeadLetterHeaders.get(dl.headers(), DeadLetterHeaders.REASON));
    assertEquals(
        "candor.texts", DeadLetterHeaders.get(dl.headers(), DeadLetterHeaders.SOURCE_TOPIC));
    assertEquals("17", DeadLetterHeaders.get(dl.headers(), DeadLetterHeaders.SOURCE_OFFSET));
    assertEquals(
        1.0,
        registry.get("candor.dead.letters").tag("reason", "PROCESSING_ERROR").counter().count());
  }

  @Test
  void shouldFailInsteadOfDeadLetteringAFatalModelFailure() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    DeadLetterProcessingExceptionHandler handler = handler(registry);

    ProcessingExceptionHandler.Response r =
        handler.handleError(
            new Context(),
            null, // a punctuation has no record
            new FatalModelException("broken", new OutOfMemoryError("simulated")));

    assertEquals(ProcessingExceptionHandler.Result.FAIL, r.result());
    assertTrue(r.deadLetterQueueRecords().isEmpty());
    assertNull(registry.find("candor.dead.letters").counter());
  }

  private static final class Context implements ErrorHandlerContext {
    @Override
    public String topic() {
      return "candor.texts";
    }

    @Override
    public int partition() {
      return 2;
    }

    @Override
    public long offset() {
      return 17;
    }

    @Override
    public Headers headers() {
      return new RecordHeaders();
    }

    @Override
    public String processorNodeId() {
      return "candor-decode";
    }

    @Override
    public TaskId taskId() {
      return new TaskId(0, 2);
    }

    @Override
    public long timestamp() {
      return 1L;
    }

    @Override
    public byte[] sourceRawKey() {
      return "raw-key".getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] sourceRawValue() {
      return "raw-value".getBytes(StandardCharsets.UTF_8);
    }
  }

  /** A handler writing to topic "dlq" and counting in {@code registry}. */
  private static DeadLetterProcessingExceptionHandler handler(SimpleMeterRegistry registry) {
    DeadLetterProcessingExceptionHandler handler = new DeadLetterProcessingExceptionHandler();
    handler.configure(
        Map.of(
            StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG,
            "dlq",
            DeadLetterProcessingExceptionHandler.METER_REGISTRY_CONFIG,
            registry));
    return handler;
  }
}
