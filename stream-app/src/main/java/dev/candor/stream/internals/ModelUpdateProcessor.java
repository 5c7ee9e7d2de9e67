package dev.candor.stream.internals;

import dev.candor.schemas.avro.ModelUpdate;
import dev.candor.stream.serving.ModelHandle;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processor of the global model-updates store. Being global, every instance sees every update;
 * the store is in memory and Kafka Streams re-runs this processor over the compacted topic on each
 * start, so a restarted app also switches to the latest announced model.
 *
 * <p>It never loads a model itself: it records the update and hands it to {@link
 * ModelHandle#requestSwap}, whose own thread does the slow, verified load.
 */
public final class ModelUpdateProcessor implements Processor<String, ModelUpdate, Void, Void> {

  private static final Logger LOG = LoggerFactory.getLogger(ModelUpdateProcessor.class);

  private final String storeName;
  private final String modelName;
  private final ModelHandle model;
  private KeyValueStore<String, ModelUpdate> store;

  /**
   * Creates the processor.
   *
   * @param storeName the global store
   * @param modelName apply only updates with this key; empty for all
   * @param model where swaps go
   */
  public ModelUpdateProcessor(String storeName, String modelName, ModelHandle model) {
    this.storeName = storeName;
    this.modelName = modelName;
    this.model = model;
  }

  /**
   * The global store: in memory and unlogged (the compacted source topic is its changelog).
   *
   * @param name store name
   * @param valueSerde the ModelUpdate serde
   * @return the builder
   */
  public static StoreBuilder<KeyValueStore<String, ModelUpdate>> store(
      String name, Serde<ModelUpdate> valueSerde) {
    return Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(name), Serdes.String(), valueSerde)
        .withLoggingDisabled();
  }

  /** {@inheritDoc} */
  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(storeName);
  }

  /** {@inheritDoc} */
  @Override
  public void process(Record<String, ModelUpdate> record) {
    String key = record.key();
    if (key == null) {
      LOG.warn("Ignoring model update without a key (model name)");
      return;
    }
    if (record.value() == null) {
      store.delete(key); // tombstone: the model was retired; keep running what we have
      return;
    }
    store.put(key, record.value());
    if (!modelName.isEmpty() && !modelName.equals(key)) {
      LOG.debug("Ignoring update for model {} (this app runs {})", key, modelName);
      return;
    }
    LOG.info(
        "Model update {} for {} at {}", record.value().getVersion(), key, record.value().getUri());
    model.requestSwap(record.value());
  }
}
