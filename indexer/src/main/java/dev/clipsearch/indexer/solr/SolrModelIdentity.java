package dev.clipsearch.indexer.solr;

import dev.clipsearch.indexer.index.IndexMetadata;
import dev.clipsearch.models.ModelSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Which model's vectors a collection holds, recorded as {@code clipsearch.*} user properties in the
 * {@code configoverlay.json} of the collection's config set (read back through Solr's Config API,
 * {@code GET /COLLECTION/config/overlay}), and compared on every later run: vectors of different
 * models cannot be mixed. It is uploaded with the schema, before the collection exists, so no
 * collection made by clipsearch is ever without it.
 *
 * @param modelId the model's id
 * @param dimension the vector length
 * @param preprocess the model's image preprocessing, as one line (size, mean, std)
 */
public record SolrModelIdentity(String modelId, int dimension, String preprocess) {

  static final String KEY_FORMAT = "clipsearch.format_version";
  static final String KEY_MODEL = "clipsearch.model.id";
  static final String KEY_DIMENSION = "clipsearch.model.dimension";
  static final String KEY_PREPROCESS = "clipsearch.model.preprocess";

  /** The layout of clipsearch's Solr collections (field names, nesting) this code writes. */
  static final int FORMAT_VERSION = 1;

  public SolrModelIdentity {
    Objects.requireNonNull(modelId, "modelId");
    Objects.requireNonNull(preprocess, "preprocess");
    if (modelId.isBlank()) {
      throw new IllegalArgumentException("model id is blank");
    }
    if (dimension < 1 || dimension > SolrCollectionSpec.MAX_DIMENSION) {
      throw new IllegalArgumentException(
          "model dimension "
              + dimension
              + " is outside 1.."
              + SolrCollectionSpec.MAX_DIMENSION
              + " (Solr 9's DenseVectorField limit)");
    }
  }

  /** The identity of a model, with its preprocessing written as the embedded index writes it. */
  public static SolrModelIdentity of(ModelSpec model) {
    return new SolrModelIdentity(
        model.id(), model.dimension(), IndexMetadata.formatPreprocess(model.preprocess()));
  }

  /** The user properties that record this identity. */
  Map<String, String> toProperties() {
    Map<String, String> props = new LinkedHashMap<>();
    props.put(KEY_FORMAT, Integer.toString(FORMAT_VERSION));
    props.put(KEY_MODEL, modelId);
    props.put(KEY_DIMENSION, Integer.toString(dimension));
    props.put(KEY_PREPROCESS, preprocess);
    return props;
  }

  /** The identity recorded in user properties, or null when there is none. */
  static SolrModelIdentity fromProperties(Map<String, String> props) {
    String model = props.get(KEY_MODEL);
    if (model == null) {
      return null;
    }
    return new SolrModelIdentity(
        model,
        Integer.parseInt(props.getOrDefault(KEY_DIMENSION, "0")),
        props.getOrDefault(KEY_PREPROCESS, ""));
  }

  /** One line for messages. */
  public String describe() {
    return "'" + modelId + "' (dimension " + dimension + ", preprocessing " + preprocess + ")";
  }
}
