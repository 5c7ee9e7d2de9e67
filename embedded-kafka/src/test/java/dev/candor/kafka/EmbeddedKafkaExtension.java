package dev.candor.kafka;

import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that runs one {@link EmbeddedKafka} per test class and injects it into
 * constructors, lifecycle methods and tests that declare an {@code EmbeddedKafka} parameter.
 *
 * <pre>{@code
 * @Tag("integration")
 * @ExtendWith(EmbeddedKafkaExtension.class)
 * class CandorTopologyIT {
 *     @Test
 *     void shouldExplainTexts(EmbeddedKafka kafka) { ... kafka.bootstrapServers() ... }
 * }
 *
 * // or, with broker settings:
 * @RegisterExtension
 * static final EmbeddedKafkaExtension KAFKA =
 *         new EmbeddedKafkaExtension(Map.of("log.retention.ms", "60000"));
 * }</pre>
 *
 * <p>The broker lives in the class's extension store, so JUnit closes it (and deletes its data)
 * after the class, also when tests fail; {@code @Nested} classes share their outer class's broker.
 * Ship it to other modules as the test-jar of {@code candor-embedded-kafka}.
 */
public class EmbeddedKafkaExtension implements BeforeAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(EmbeddedKafkaExtension.class);

  private final Map<String, ?> brokerConfig;
  private volatile EmbeddedKafka kafka;

  /** Creates the extension with the default broker configuration. */
  public EmbeddedKafkaExtension() {
    this(Map.of());
  }

  /**
   * Creates the extension with extra broker configs.
   *
   * @param brokerConfig configs passed to {@link EmbeddedKafka.Builder#optBrokerConfig}
   */
  public EmbeddedKafkaExtension(Map<String, ?> brokerConfig) {
    this.brokerConfig =
        Map.copyOf(Objects.requireNonNull(brokerConfig, "brokerConfig cannot be null"));
  }

  /** {@inheritDoc} */
  @Override
  public void beforeAll(ExtensionContext context) {
    obtain(context);
  }

  private EmbeddedKafka obtain(ExtensionContext context) {
    // Store at class level even when called for a method (constructor injection under
    // PER_CLASS lifecycle runs before beforeAll), or JUnit would close it after one test.
    ExtensionContext classContext = context;
    while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
      classContext = classContext.getParent().get();
    }
    // Keyed by this instance: a @Nested class finds the outer class's broker in the parent store.
    kafka =
        classContext
            .getStore(NAMESPACE)
            .getOrComputeIfAbsent(
                this,
                key -> EmbeddedKafka.builder().optBrokerConfig(brokerConfig).build().start(),
                EmbeddedKafka.class);
    return kafka;
  }

  /**
   * Returns the running broker.
   *
   * @return the broker
   * @throws IllegalStateException outside a test class using this extension
   */
  public EmbeddedKafka kafka() {
    EmbeddedKafka k = kafka;
    if (k == null || !k.isRunning()) {
      throw new IllegalStateException("EmbeddedKafkaExtension is not active here");
    }
    return k;
  }

  /**
   * Shortcut for {@code kafka().bootstrapServers()}.
   *
   * @return the bootstrap servers string
   */
  public String bootstrapServers() {
    return kafka().bootstrapServers();
  }

  /** {@inheritDoc} */
  @Override
  public boolean supportsParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == EmbeddedKafka.class;
  }

  /** {@inheritDoc} */
  @Override
  public Object resolveParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    return obtain(extensionContext);
  }
}
