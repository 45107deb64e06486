package dev.clipsearch.models.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.models.ModelLoadException;
import dev.clipsearch.models.ModelSpec;
import dev.clipsearch.models.Variant;
import dev.clipsearch.models.image.PreprocessConfig;
import dev.clipsearch.models.onnx.ModelDescription.DenseFile;
import dev.clipsearch.models.onnx.ModelDescription.ImageTower;
import dev.clipsearch.models.onnx.ModelDescription.Pooling;
import dev.clipsearch.models.onnx.ModelDescription.TextTower;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the {@link ModelLayout#SENTENCE_TRANSFORMERS} layout: a sentence-transformers text model
 * aligned to a CLIP image space (as {@code sentence-transformers/clip-ViT-B-32-multilingual-v1} is)
 * at the top of the directory, and the CLIP image tower it belongs with, a Hugging Face export's
 * image half, in {@code image/}.
 *
 * <p>Everything comes from the files: the modules and their order from {@code modules.json}; the
 * pooling from the Pooling module's {@code config.json} (mean pooling only); the Dense layer's
 * widths, bias and activation from its {@code config.json} and its weights from its {@code
 * model.safetensors}; the context length from {@code sentence_bert_config.json}'s {@code
 * max_seq_length}; the image size, mean and std from {@code image/preprocessor_config.json}.
 */
final class SentenceTransformersDirectory {

  static final String MODULES = "modules.json";
  static final String TEXT_ONNX = "onnx/model.onnx";
  static final String IMAGE_ONNX = "image/onnx/vision_model.onnx";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TRANSFORMER = "sentence_transformers.models.Transformer";
  private static final String POOLING = "sentence_transformers.models.Pooling";
  private static final String DENSE = "sentence_transformers.models.Dense";
  private static final String NORMALIZE = "sentence_transformers.models.Normalize";

  private SentenceTransformersDirectory() {}

  /** Whether {@code dir} holds a sentence-transformers model ({@code modules.json}). */
  static boolean matches(Path dir) {
    return ModelDirectory.exists(dir, MODULES);
  }

  static ModelDescription read(Path dir, Variant variant) {
    ModelDirectory.requireFp32(dir, variant, ModelLayout.SENTENCE_TRANSFORMERS);
    ModelSource modulesFile = ModelDirectory.required(dir, MODULES, variant);
    List<ModelSource> configs = new ArrayList<>(List.of(modulesFile));
    Modules modules = modules(dir, modulesFile);

    Path transformer = inside(dir, modules.transformer, modulesFile);
    ModelSource onnx = requiredFile(dir, transformer, TEXT_ONNX);
    ModelSource tokenizer = requiredFile(dir, transformer, ModelDirectory.TOKENIZER_JSON);
    int contextLength = contextLength(dir, transformer, configs);

    ModelSource poolingFile =
        requiredFile(dir, inside(dir, modules.pooling, modulesFile), "config.json");
    configs.add(poolingFile);
    Json pooling = Json.read(poolingFile);
    requireMeanPooling(pooling);
    int width = pooling.requiredPositiveInt("word_embedding_dimension");

    DenseFile dense = null;
    int dimension = width;
    if (modules.dense != null) {
      Path denseDir = inside(dir, modules.dense, modulesFile);
      ModelSource denseConfig = requiredFile(dir, denseDir, "config.json");
      configs.add(denseConfig);
      dense = dense(dir, denseDir, Json.read(denseConfig), width);
      dimension = dense.outputs();
    }

    ImageTower image = imageTower(dir, configs, dimension);
    String name = name(dir, transformer, configs);
    return new ModelDescription(
        dir,
        ModelLayout.SENTENCE_TRANSFORMERS,
        name,
        dimension,
        ModelSpec.DEFAULT_LOGIT_SCALE,
        image,
        new TextTower(
            onnx,
            tokenizer,
            contextLength,
            null,
            OnnxTextEncoder.LAST_HIDDEN_STATE,
            Pooling.MEAN,
            modules.normalizeBeforeDense,
            null,
            dense,
            false),
        configs);
  }

  /** The module folders of {@code modules.json}, checked for an order the runtime can run. */
  private record Modules(
      String transformer, String pooling, String dense, boolean normalizeBeforeDense) {}

  private static Modules modules(Path dir, ModelSource file) {
    JsonNode list;
    try {
      list = JSON.readTree(file.readAllBytes());
    } catch (IOException e) {
      throw new ModelLoadException(file.describe() + ": invalid JSON: " + e.getMessage(), e);
    }
    if (list == null || !list.isArray()) {
      throw new ModelLoadException(file.describe() + ": expected a JSON array of modules");
    }
    List<String> types = new ArrayList<>();
    String transformer = null;
    String pooling = null;
    String dense = null;
    boolean normalizeBeforeDense = false;
    for (JsonNode module : list) {
      String type = module.path("type").asText("");
      String path = module.path("path").asText("");
      types.add(type);
      boolean expected =
          switch (types.size()) {
            case 1 -> type.equals(TRANSFORMER);
            case 2 -> type.equals(POOLING);
            default ->
                (type.equals(DENSE) && dense == null)
                    || (type.equals(NORMALIZE) && !normalizeBeforeDense);
          };
      if (!expected) {
        throw new ModelLoadException(
            file.describe()
                + ": modules "
                + types
                + " are not supported; expected Transformer, Pooling, then optionally Normalize"
                + " and Dense, and a final Normalize");
      }
      switch (types.size()) {
        case 1 -> transformer = path;
        case 2 -> pooling = path;
        default -> {
          if (type.equals(DENSE)) {
            dense = path;
          } else if (dense == null) {
            normalizeBeforeDense = true;
          }
        }
      }
    }
    if (pooling == null) {
      throw new ModelLoadException(
          file.describe() + ": modules " + types + " lack a Transformer and a Pooling module");
    }
    return new Modules(transformer, pooling, dense, normalizeBeforeDense && dense != null);
  }

  /** A module folder of {@code modules.json}, which may not leave the model directory. */
  private static Path inside(Path dir, String relative, ModelSource modulesFile) {
    Path path = dir.resolve(relative).normalize();
    if (Path.of(relative).isAbsolute() || !path.startsWith(dir.normalize())) {
      throw new ModelLoadException(
          modulesFile.describe() + ": module path '" + relative + "' leaves " + dir);
    }
    return path;
  }

  private static ModelSource requiredFile(Path dir, Path module, String file) {
    return ModelDirectory.required(
        dir, dir.relativize(module.resolve(file)).toString(), Variant.FP32);
  }

  private static void requireMeanPooling(Json pooling) {
    List<String> modes = new ArrayList<>();
    for (String mode :
        List.of(
            "pooling_mode_cls_token",
            "pooling_mode_mean_tokens",
            "pooling_mode_max_tokens",
            "pooling_mode_mean_sqrt_len_tokens",
            "pooling_mode_weightedmean_tokens",
            "pooling_mode_lasttoken")) {
      if (pooling.bool(mode, false)) {
        modes.add(mode);
      }
    }
    if (!modes.equals(List.of("pooling_mode_mean_tokens"))) {
      throw new ModelLoadException(
          pooling.file()
              + ": pooling "
              + (modes.isEmpty() ? "(none set)" : String.join(" + ", modes))
              + " is not supported; only pooling_mode_mean_tokens is");
    }
  }

  private static DenseFile dense(Path dir, Path denseDir, Json config, int width) {
    int inputs = config.requiredPositiveInt("in_features");
    int outputs = config.requiredPositiveInt("out_features");
    if (inputs != width) {
      throw new ModelLoadException(
          config.file()
              + ": in_features "
              + inputs
              + " differs from the pooled width "
              + width
              + " (word_embedding_dimension)");
    }
    String activation = config.text("activation_function", "torch.nn.modules.activation.Tanh");
    Projection.Activation act =
        switch (activation) {
          case "torch.nn.modules.linear.Identity" -> Projection.Activation.IDENTITY;
          case "torch.nn.modules.activation.Tanh" -> Projection.Activation.TANH;
          default ->
              throw new ModelLoadException(
                  config.file()
                      + ": activation_function "
                      + activation
                      + " is not supported (Identity or Tanh)");
        };
    Path weights = denseDir.resolve("model.safetensors");
    if (!ModelDirectory.exists(dir, dir.relativize(weights).toString())) {
      throw new ModelLoadException(
          "model "
              + dir
              + " lacks "
              + dir.relativize(weights)
              + ": the Dense layer's weights are read from safetensors (a pytorch_model.bin is"
              + " not read); files found: "
              + ModelDirectory.listing(dir));
    }
    return new DenseFile(
        new ModelSource.FileSource(weights),
        "linear.weight",
        config.bool("bias", true) ? "linear.bias" : null,
        inputs,
        outputs,
        act);
  }

  /** The most tokens per text: sentence-transformers' max_seq_length, else the model's. */
  private static int contextLength(Path dir, Path transformer, List<ModelSource> configs) {
    for (String file : List.of("sentence_bert_config.json", "config.json")) {
      String relative = dir.relativize(transformer.resolve(file)).toString();
      if (ModelDirectory.exists(dir, relative)) {
        ModelSource source = new ModelSource.FileSource(dir.resolve(relative));
        Json json = Json.read(source);
        String field = file.equals("config.json") ? "max_position_embeddings" : "max_seq_length";
        if (json.has(field)) {
          configs.add(source);
          return json.requiredPositiveInt(field);
        }
      }
    }
    throw new ModelLoadException(
        "model "
            + dir
            + " names no context length: expected max_seq_length in sentence_bert_config.json or"
            + " max_position_embeddings in config.json; files found: "
            + ModelDirectory.listing(dir));
  }

  /** The CLIP image tower in {@code image/}: a Hugging Face export's image half. */
  private static ImageTower imageTower(Path dir, List<ModelSource> configs, int dimension) {
    ModelSource vision = ModelDirectory.required(dir, IMAGE_ONNX, Variant.FP32);
    PreprocessConfig clip = PreprocessConfig.CLIP;
    int imageSize = clip.size();
    if (ModelDirectory.exists(dir, "image/config.json")) {
      ModelSource file = new ModelSource.FileSource(dir.resolve("image/config.json"));
      configs.add(file);
      Json config = Json.read(file);
      imageSize = config.positiveInt("vision_config.image_size", imageSize);
      int projection = config.positiveInt("projection_dim", dimension);
      if (projection != dimension) {
        throw new ModelLoadException(
            config.file()
                + ": the image tower gives "
                + projection
                + "-d vectors, the text tower "
                + dimension
                + "-d; they are not one embedding space");
      }
    }
    PreprocessConfig preprocess = new PreprocessConfig(imageSize, clip.mean(), clip.std());
    if (ModelDirectory.exists(dir, "image/preprocessor_config.json")) {
      ModelSource file = new ModelSource.FileSource(dir.resolve("image/preprocessor_config.json"));
      configs.add(file);
      preprocess = ModelDirectory.hfPreprocess(Json.read(file), imageSize);
    }
    return new ImageTower(vision, null, null, preprocess, null);
  }

  /**
   * A readable name: the last segment of {@code config.json}'s {@code _name_or_path} that is not a
   * sentence-transformers module folder ({@code 0_Transformer}), else {@code
   * sentence-transformers}.
   */
  private static String name(Path dir, Path transformer, List<ModelSource> configs) {
    String relative = dir.relativize(transformer.resolve("config.json")).toString();
    if (!ModelDirectory.exists(dir, relative)) {
      return "sentence-transformers";
    }
    ModelSource file = new ModelSource.FileSource(dir.resolve(relative));
    if (!configs.contains(file)) {
      configs.add(file);
    }
    String path = Json.read(file).text("_name_or_path", "");
    String[] segments = path.split("[/\\\\]");
    for (int i = segments.length - 1; i >= 0; i--) {
      String segment = segments[i].strip();
      if (!segment.isEmpty() && !segment.matches("\\d+_[A-Za-z]+")) {
        return segment.toLowerCase(Locale.ROOT);
      }
    }
    return "sentence-transformers";
  }
}
