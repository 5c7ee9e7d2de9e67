package dev.candor.trainer;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The registry's {@code CURRENT} file, replaced atomically as a whole.
 *
 * @param current the production version
 * @param history versions that were production, oldest first, {@code current} last
 * @param published whether {@code current} has been announced on the model-updates topic
 * @param withdrawn versions taken out of production by a rollback (never promoted again by
 *     recovery; an explicit promote can)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RegistryState(
    String current, List<String> history, boolean published, List<String> withdrawn) {
  public RegistryState {
    history = List.copyOf(history);
    withdrawn = withdrawn == null ? List.of() : List.copyOf(withdrawn);
  }
}
