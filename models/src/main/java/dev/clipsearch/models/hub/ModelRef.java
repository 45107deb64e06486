package dev.clipsearch.models.hub;

import java.util.Objects;

/**
 * A known model and one of its variants: what one {@code models fetch} installs.
 *
 * @param model the registry entry
 * @param variant one of {@link KnownModel#variants()}
 */
public record ModelRef(KnownModel model, ModelVariant variant) {

  public ModelRef {
    Objects.requireNonNull(model, "model");
    if (!model.variants().contains(variant)) {
      throw new IllegalArgumentException(
          model.name()
              + " has no "
              + variant
              + " variant; it offers "
              + model.variants().stream().map(ModelVariant::id).toList());
    }
  }

  /** The cache directory name: see {@link KnownModel#installName}. */
  public String installName() {
    return model.installName(variant);
  }

  @Override
  public String toString() {
    return installName() + " (" + model.repository() + "@" + model.revision() + ")";
  }
}
