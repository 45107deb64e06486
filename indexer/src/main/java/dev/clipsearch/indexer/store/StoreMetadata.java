package dev.clipsearch.indexer.store;

import dev.clipsearch.models.ModelSpec;
import dev.clipsearch.models.image.PreprocessConfig;
import java.io.IOException;

/**
 * The model identity a store records with its vectors: vectors of different models live in
 * different spaces, so a store refuses a model other than the one that built it.
 */
public interface StoreMetadata {

  /** The id of the model that made the stored vectors. */
  String modelId();

  /** The vector length. */
  int dimension();

  /** The model's image preprocessing (two preprocessings make two different vector spaces). */
  PreprocessConfig preprocess();

  /**
   * Whether vectors from {@code model} can live in this store: same id, dimension and
   * preprocessing.
   */
  default boolean isCompatibleWith(ModelSpec model) {
    return modelId().equals(model.id())
        && dimension() == model.dimension()
        && preprocess().equals(model.preprocess());
  }

  /**
   * Refuses a model that did not build this store, with a message naming {@code location} and both
   * models.
   *
   * @param location where the store is, for the message ({@link CatalogStore#location()})
   * @throws IOException when the model does not match (the embedded index throws its {@code
   *     ModelMismatchException})
   */
  void checkModel(ModelSpec model, String location) throws IOException;

  /** The model in one line, for logs and {@code stats}. */
  String describeModel();
}
