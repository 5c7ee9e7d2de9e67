package dev.candor.model.train;

import dev.candor.model.data.Example;
import dev.candor.model.data.JsonlDataset;
import dev.candor.model.provenance.DataSource;
import java.util.List;

/**
 * What a fine-tuning run learns from and validates on, with where each part came from.
 *
 * @param train training examples
 * @param validation examples that pick the best epoch
 * @param sources the data read, each with its checksum (files, or topic ranges for the trainer)
 */
public record TrainingData(
    List<Example> train, List<Example> validation, List<DataSource> sources) {

  public TrainingData {
    if (train == null || train.isEmpty() || validation == null || validation.isEmpty()) {
      throw new IllegalArgumentException("training needs training and validation examples");
    }
    train = List.copyOf(train);
    validation = List.copyOf(validation);
    sources = sources == null ? List.of() : List.copyOf(sources);
  }

  /** Two JSONL files, recorded with the roles "train" and "validation". */
  public static TrainingData of(JsonlDataset train, JsonlDataset validation) {
    return new TrainingData(
        train.examples(),
        validation.examples(),
        List.of(train.provenance("train"), validation.provenance("validation")));
  }
}
