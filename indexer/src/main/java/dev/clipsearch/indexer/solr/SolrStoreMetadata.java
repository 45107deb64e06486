package dev.clipsearch.indexer.solr;

import dev.clipsearch.indexer.index.IndexMetadata;
import dev.clipsearch.indexer.index.IndexSchema;
import dev.clipsearch.indexer.store.StoreMetadata;
import dev.clipsearch.models.ModelSpec;
import dev.clipsearch.models.image.PreprocessConfig;
import java.util.Objects;

/**
 * The model identity of a clipsearch collection as the store seam reads it: what {@link
 * SolrModelIdentity} records in the collection's config overlay, with the vector field named after
 * the model as in the embedded index.
 *
 * @param identity the recorded identity
 */
public record SolrStoreMetadata(SolrModelIdentity identity) implements StoreMetadata {

  public SolrStoreMetadata {
    Objects.requireNonNull(identity, "identity");
  }

  @Override
  public String modelId() {
    return identity.modelId();
  }

  @Override
  public int dimension() {
    return identity.dimension();
  }

  /**
   * The recorded preprocessing.
   *
   * @throws IllegalArgumentException when the recorded line is damaged
   */
  @Override
  public PreprocessConfig preprocess() {
    return IndexMetadata.parsePreprocess(identity.preprocess());
  }

  @Override
  public boolean isCompatibleWith(ModelSpec model) {
    return identity.equals(SolrModelIdentity.of(model));
  }

  /** The name of the image vector field. */
  public String vectorField() {
    return IndexSchema.vectorFieldName(identity.modelId());
  }

  /**
   * @throws SolrModelMismatchException naming {@code location} and both models
   */
  @Override
  public void checkModel(ModelSpec model, String location) throws SolrModelMismatchException {
    if (!isCompatibleWith(model)) {
      throw new SolrModelMismatchException(
          location
              + " was built with model "
              + describeModel()
              + ", but the model given is "
              + SolrModelIdentity.of(model).describe()
              + ". Vectors of different models cannot be mixed: use the collection's model, or"
              + " another --collection.");
    }
  }

  @Override
  public String describeModel() {
    return identity.describe();
  }
}
