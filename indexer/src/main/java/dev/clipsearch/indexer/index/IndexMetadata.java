package dev.clipsearch.indexer.index;

import dev.clipsearch.indexer.store.StoreMetadata;
import dev.clipsearch.models.ModelSpec;
import dev.clipsearch.models.image.PreprocessConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What an index is: which model made its vectors and how they are stored. Kept in the user data of
 * every Lucene commit under {@code clipsearch.*} keys, so it is exactly as durable as the documents
 * it describes, and readable with plain Lucene ({@code DirectoryReader.getIndexCommit()
 * .getUserData()}).
 *
 * @param formatVersion the clipsearch index layout version ({@link #FORMAT_VERSION})
 * @param modelId the model's id
 * @param dimension the vector length
 * @param preprocess the model's image preprocessing
 * @param vectorField the name of the vector field (derived from the model id)
 * @param settings HNSW parameters, quantization, thumbnail size
 * @param created when the index was created
 */
public record IndexMetadata(
    int formatVersion,
    String modelId,
    int dimension,
    PreprocessConfig preprocess,
    String vectorField,
    IndexSettings settings,
    Instant created)
    implements StoreMetadata {

  /** The layout this code writes and reads (field names and block structure). */
  public static final int FORMAT_VERSION = 1;

  static final String PREFIX = "clipsearch.";
  static final String KEY_FORMAT = PREFIX + "format_version";
  static final String KEY_MODEL = PREFIX + "model.id";
  static final String KEY_DIMENSION = PREFIX + "model.dimension";
  static final String KEY_PREPROCESS = PREFIX + "model.preprocess";
  static final String KEY_VECTOR_FIELD = PREFIX + "vector_field";
  static final String KEY_SIMILARITY = PREFIX + "similarity";
  static final String KEY_QUANTIZATION = PREFIX + "quantization";
  static final String KEY_HNSW_M = PREFIX + "hnsw.m";
  static final String KEY_HNSW_BEAM = PREFIX + "hnsw.beam_width";
  static final String KEY_THUMBNAIL = PREFIX + "thumbnail_size";
  static final String KEY_ANALYZER = PREFIX + "text_analyzer";
  static final String KEY_CREATED = PREFIX + "created";

  public IndexMetadata {
    Objects.requireNonNull(modelId, "modelId");
    Objects.requireNonNull(preprocess, "preprocess");
    Objects.requireNonNull(vectorField, "vectorField");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(created, "created");
  }

  /** The metadata of a new index for a model. */
  public static IndexMetadata forNewIndex(ModelSpec model, IndexSettings settings, Instant now) {
    return new IndexMetadata(
        FORMAT_VERSION,
        model.id(),
        model.dimension(),
        model.preprocess(),
        IndexSchema.vectorFieldName(model.id()),
        settings,
        now);
  }

  /** The {@code clipsearch.*} commit user data entries. */
  public Map<String, String> toUserData() {
    Map<String, String> data = new LinkedHashMap<>();
    data.put(KEY_FORMAT, Integer.toString(formatVersion));
    data.put(KEY_MODEL, modelId);
    data.put(KEY_DIMENSION, Integer.toString(dimension));
    data.put(KEY_PREPROCESS, formatPreprocess(preprocess));
    data.put(KEY_VECTOR_FIELD, vectorField);
    data.put(KEY_SIMILARITY, "DOT_PRODUCT");
    data.put(KEY_QUANTIZATION, settings.quantization().code());
    data.put(KEY_HNSW_M, Integer.toString(settings.hnswM()));
    data.put(KEY_HNSW_BEAM, Integer.toString(settings.hnswBeamWidth()));
    data.put(KEY_THUMBNAIL, Integer.toString(settings.thumbnailSize()));
    data.put(KEY_ANALYZER, IndexSchema.ANALYZER_NAME);
    data.put(KEY_CREATED, created.toString());
    return data;
  }

  /**
   * Reads the metadata back from commit user data.
   *
   * @param where the directory, for messages
   * @throws IndexOpenException when the data is missing (not a clipsearch index), from a newer
   *     format, or damaged
   */
  public static IndexMetadata fromUserData(Map<String, String> data, Object where)
      throws IndexOpenException {
    if (!data.containsKey(KEY_FORMAT)) {
      throw new IndexOpenException(
          where + " holds a Lucene index that clipsearch did not create (no clipsearch metadata)");
    }
    try {
      int version = Integer.parseInt(data.get(KEY_FORMAT));
      if (version > FORMAT_VERSION) {
        throw new IndexOpenException(
            where
                + " was written by a newer clipsearch (index format "
                + version
                + ", this version reads up to "
                + FORMAT_VERSION
                + ")");
      }
      IndexSettings settings =
          new IndexSettings(
              Integer.parseInt(required(data, KEY_HNSW_M)),
              Integer.parseInt(required(data, KEY_HNSW_BEAM)),
              Quantization.fromCode(required(data, KEY_QUANTIZATION)),
              Integer.parseInt(required(data, KEY_THUMBNAIL)));
      return new IndexMetadata(
          version,
          required(data, KEY_MODEL),
          Integer.parseInt(required(data, KEY_DIMENSION)),
          parsePreprocess(required(data, KEY_PREPROCESS)),
          required(data, KEY_VECTOR_FIELD),
          settings,
          Instant.parse(required(data, KEY_CREATED)));
    } catch (RuntimeException e) {
      throw new IndexOpenException(
          where + " has damaged clipsearch metadata: " + e.getMessage(), e);
    }
  }

  /**
   * Refuses a model that did not build this index, with a message naming both.
   *
   * @param location the index directory, for the message
   */
  @Override
  public void checkModel(ModelSpec model, String location) throws ModelMismatchException {
    if (!isCompatibleWith(model)) {
      throw new ModelMismatchException(
          "index "
              + location
              + " was built with model "
              + describe(modelId, dimension, preprocess)
              + ", but the model given is "
              + describe(model.id(), model.dimension(), model.preprocess())
              + ". Vectors of different models cannot be mixed: use the index's model, or build a"
              + " new index in another directory.");
    }
  }

  /** As {@link #checkModel(ModelSpec, String)}, for callers holding the directory as a path. */
  public void checkModel(ModelSpec model, Path dir) throws ModelMismatchException {
    checkModel(model, dir.toString());
  }

  /** One line for logs and {@code stats}. */
  @Override
  public String describeModel() {
    return describe(modelId, dimension, preprocess);
  }

  private static String describe(String id, int dimension, PreprocessConfig p) {
    return "'" + id + "' (dimension " + dimension + ", preprocessing " + formatPreprocess(p) + ")";
  }

  private static String required(Map<String, String> data, String key) {
    String value = data.get(key);
    if (value == null) {
      throw new IllegalArgumentException("missing " + key);
    }
    return value;
  }

  /**
   * A preprocessing as one line ({@code size=224;mean=a,b,c;std=a,b,c}, and {@code ;resize=squash}
   * for SigLIP's resize without crop), as stores record it.
   */
  public static String formatPreprocess(PreprocessConfig p) {
    return "size="
        + p.size()
        + ";mean="
        + join(p.mean())
        + ";std="
        + join(p.std())
        + (p.resize() == PreprocessConfig.Resize.SQUASH ? ";resize=" + SQUASH : "");
  }

  private static final String SQUASH = "squash";

  /**
   * Reads back {@link #formatPreprocess}.
   *
   * @throws IllegalArgumentException when the text is not such a line
   */
  public static PreprocessConfig parsePreprocess(String text) {
    Map<String, String> parts = new LinkedHashMap<>();
    for (String part : text.split(";")) {
      int eq = part.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("bad preprocessing description: " + text);
      }
      parts.put(part.substring(0, eq), part.substring(eq + 1));
    }
    String resize = parts.getOrDefault("resize", "crop");
    if (!resize.equals("crop") && !resize.equals(SQUASH)) {
      throw new IllegalArgumentException("bad preprocessing resize '" + resize + "' in: " + text);
    }
    return new PreprocessConfig(
        Integer.parseInt(required(parts, "size")),
        floats(required(parts, "mean")),
        floats(required(parts, "std")),
        resize.equals(SQUASH)
            ? PreprocessConfig.Resize.SQUASH
            : PreprocessConfig.Resize.SHORTER_SIDE_AND_CENTER_CROP);
  }

  private static String join(float[] values) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      sb.append(i == 0 ? "" : ",").append(values[i]);
    }
    return sb.toString();
  }

  private static float[] floats(String csv) {
    return toFloats(Arrays.stream(csv.split(",")).map(String::strip).toArray(String[]::new));
  }

  private static float[] toFloats(String[] parts) {
    float[] out = new float[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = Float.parseFloat(parts[i]);
    }
    return out;
  }
}
