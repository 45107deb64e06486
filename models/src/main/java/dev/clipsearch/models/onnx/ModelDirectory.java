package dev.clipsearch.models.onnx;

import dev.clipsearch.models.ModelLoadException;
import dev.clipsearch.models.ModelSpec;
import dev.clipsearch.models.ScoreFunction;
import dev.clipsearch.models.Variant;
import dev.clipsearch.models.image.PreprocessConfig;
import dev.clipsearch.models.onnx.ModelDescription.ImageTower;
import dev.clipsearch.models.onnx.ModelDescription.Pooling;
import dev.clipsearch.models.onnx.ModelDescription.ProjectionFile;
import dev.clipsearch.models.onnx.ModelDescription.TextTower;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Recognizes a model directory's layout and reads its configuration into a {@link
 * ModelDescription}: the project's manifest first, then a sentence-transformers text model with a
 * CLIP image tower ({@link SentenceTransformersDirectory}), then the Hugging Face export, then the
 * open_clip export. The layouts are described in models/MODEL_FORMAT.md.
 */
final class ModelDirectory {

  static final String MANIFEST = "clipsearch-model.json";
  static final String MANIFEST_FORMAT = "clipsearch-model/1";
  static final String CLIP_VOCAB = "bpe_simple_vocab_16e6.txt.gz";
  static final String TOKENIZER_JSON = "tokenizer.json";

  private static final int LISTED_FILES = 40;

  private ModelDirectory() {}

  static ModelDescription read(Path dir, Variant variant, ClassLoader resources) {
    if (!Files.isDirectory(dir)) {
      throw new ModelLoadException(
          "model directory " + dir + (Files.exists(dir) ? " is not a directory" : " not found"));
    }
    if (Files.isRegularFile(dir.resolve(MANIFEST))) {
      requireFp32(dir, variant, ModelLayout.MANIFEST);
      return manifest(dir, resources);
    }
    if (SentenceTransformersDirectory.matches(dir)) {
      return SentenceTransformersDirectory.read(dir, variant);
    }
    if (isHuggingFace(dir)) {
      return huggingFace(dir, variant);
    }
    if (exists(dir, "visual/model.onnx") || exists(dir, "textual/model.onnx")) {
      requireFp32(dir, variant, ModelLayout.OPEN_CLIP);
      return openClip(dir);
    }
    throw new ModelLoadException(unknownLayout(dir));
  }

  /**
   * The variants whose image and text towers are both in {@code dir}: those of a Hugging Face
   * export ({@code onnx/vision_model{,_fp16,_quantized}.onnx} with its text twin), fp32 alone for
   * the other layouts, none when {@code dir} is no model directory.
   */
  static Set<Variant> offered(Path dir) {
    Set<Variant> found = EnumSet.noneOf(Variant.class);
    if (Files.isRegularFile(dir.resolve(MANIFEST))
        || SentenceTransformersDirectory.matches(dir)
        || !isHuggingFace(dir)) {
      if (Files.isRegularFile(dir.resolve(MANIFEST))
          || SentenceTransformersDirectory.matches(dir)
          || exists(dir, "visual/model.onnx")
          || exists(dir, "textual/model.onnx")) {
        found.add(Variant.FP32);
      }
      return found;
    }
    for (Variant v : Variant.values()) {
      if (exists(dir, "onnx/vision_model" + suffix(v) + ".onnx")
          && exists(dir, "onnx/text_model" + suffix(v) + ".onnx")) {
        found.add(v);
      }
    }
    return found;
  }

  /** An {@code onnx/} folder holding a vision or text tower of any variant. */
  private static boolean isHuggingFace(Path dir) {
    if (!Files.isDirectory(dir.resolve("onnx"))) {
      return false;
    }
    for (Variant v : Variant.values()) {
      if (exists(dir, "onnx/vision_model" + suffix(v) + ".onnx")
          || exists(dir, "onnx/text_model" + suffix(v) + ".onnx")) {
        return true;
      }
    }
    return false;
  }

  private static String suffix(Variant variant) {
    return switch (variant) {
      case FP32 -> "";
      case QUANTIZED -> "_quantized";
      case FP16 -> "_fp16";
    };
  }

  /**
   * Why {@code dir} is no model directory: the files it holds, what each layout needs (with what of
   * it is there and what is missing), and hints for two common mistakes: a whole-model export in
   * one ONNX file, and a directory one level above the model.
   */
  static String unknownLayout(Path dir) {
    StringBuilder message =
        new StringBuilder("no model found in ")
            .append(dir)
            .append(": it matches no known layout; files found: ")
            .append(listing(dir))
            .append(". Each layout needs:");
    for (ModelLayout layout : ModelLayout.values()) {
      List<String> present = new ArrayList<>();
      List<String> missing = new ArrayList<>();
      List<String> needs = new ArrayList<>();
      for (List<String> requirement : layout.requiredFiles()) {
        String any = String.join(" or ", requirement);
        needs.add(any);
        String found = requirement.stream().filter(f -> exists(dir, f)).findFirst().orElse(null);
        if (found != null) {
          present.add(found);
        } else {
          missing.add(any);
        }
      }
      message
          .append("\n  ")
          .append(layout)
          .append(" (")
          .append(layout.description())
          .append("): ")
          .append(String.join(", ", needs));
      if (!layout.optionalFiles().isEmpty()) {
        message
            .append(" (optional: ")
            .append(String.join(", ", layout.optionalFiles()))
            .append(')');
      }
      message
          .append("; present: ")
          .append(present.isEmpty() ? "none" : String.join(", ", present))
          .append("; missing: ")
          .append(String.join(", ", missing));
    }
    for (String whole : List.of("model.onnx", "onnx/model.onnx")) {
      if (exists(dir, whole)) {
        message
            .append("\n  ")
            .append(whole)
            .append(
                " looks like the whole CLIP in one ONNX file (as optimum exports it by default);")
            .append(
                " clipsearch runs the image and the text tower separately, so it needs one file")
            .append(" per tower as above");
        break;
      }
    }
    for (Path child : modelSubdirectories(dir)) {
      message.append("\n  did you mean ").append(child).append("? It holds a model.");
    }
    return message.toString();
  }

  /** Sub-directories of {@code dir} that hold a recognizable model (the user named the parent). */
  private static List<Path> modelSubdirectories(Path dir) {
    try (Stream<Path> children = Files.list(dir)) {
      return children
          .filter(Files::isDirectory)
          .filter(
              child ->
                  exists(child, MANIFEST)
                      || exists(child, SentenceTransformersDirectory.MODULES)
                      || exists(child, "onnx/vision_model.onnx")
                      || exists(child, "visual/model.onnx"))
          .sorted()
          .limit(5)
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  // -- the project's manifest ---------------------------------------------------------------------

  private static ModelDescription manifest(Path dir, ClassLoader resources) {
    ModelSource file = new ModelSource.FileSource(dir.resolve(MANIFEST));
    Json json = Json.read(file);
    String format = json.requiredText("format");
    if (!format.equals(MANIFEST_FORMAT)) {
      throw new ModelLoadException(
          json.file()
              + ": unsupported format '"
              + format
              + "', expected '"
              + MANIFEST_FORMAT
              + "'");
    }
    String id = json.requiredText("id");
    if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
      throw new ModelLoadException(
          json.file() + ": id '" + id + "' must be 1-64 letters, digits, '.', '_' or '-'");
    }
    if (!json.has("image") || !json.has("text")) {
      throw json.missing(json.has("image") ? "text" : "image");
    }
    PreprocessConfig clip = PreprocessConfig.CLIP;
    int size = json.positiveInt("image.preprocess.size", clip.size());
    float[] mean = json.floats("image.preprocess.mean", 3);
    float[] std = json.floats("image.preprocess.std", 3);
    ImageTower image =
        new ImageTower(
            source(dir, json, "image.onnx", resources),
            json.text("image.input", null),
            json.text("image.output", null),
            new PreprocessConfig(
                size, mean == null ? clip.mean() : mean, std == null ? clip.std() : std),
            projection(dir, json, "image.projection", resources));
    String pooling = json.text("text.pooling", "none");
    TextTower text =
        new TextTower(
            source(dir, json, "text.onnx", resources),
            source(dir, json, "text.tokenizer", resources),
            json.requiredPositiveInt("text.contextLength"),
            json.text("text.input", null),
            json.text("text.output", null),
            switch (pooling) {
              case "none" -> Pooling.NONE;
              case "mean" -> Pooling.MEAN;
              default ->
                  throw new ModelLoadException(
                      json.file()
                          + ": text.pooling must be 'none' or 'mean', got '"
                          + pooling
                          + "'");
            },
            json.bool("text.normalizeBeforeProjection", false),
            projection(dir, json, "text.projection", resources));
    return new ModelDescription(
        dir,
        ModelLayout.MANIFEST,
        id,
        json.positiveInt("dimension", 0),
        json.positiveFloat("logitScale", ModelSpec.DEFAULT_LOGIT_SCALE),
        image,
        text,
        List.of(file));
  }

  /** A manifest file reference: a path relative to the model directory, or classpath:NAME. */
  private static ModelSource source(Path dir, Json json, String field, ClassLoader resources) {
    String ref = json.requiredText(field);
    if (ref.startsWith(ModelSource.CLASSPATH_PREFIX)) {
      String name = ref.substring(ModelSource.CLASSPATH_PREFIX.length());
      while (name.startsWith("/")) {
        name = name.substring(1);
      }
      if (name.isEmpty()) {
        throw new ModelLoadException(json.file() + ": " + field + " names no classpath resource");
      }
      if (resources.getResource(name) == null) {
        throw new ModelLoadException(
            json.file() + ": " + field + " names " + ref + ", which is not on the classpath");
      }
      return new ModelSource.ClasspathSource(name, resources);
    }
    Path path = dir.resolve(ref).normalize();
    if (Path.of(ref).isAbsolute() || !path.startsWith(dir.normalize())) {
      throw new ModelLoadException(
          json.file() + ": " + field + " must be a path inside the model directory, got " + ref);
    }
    if (!Files.isRegularFile(path)) {
      throw new ModelLoadException(json.file() + ": " + field + " names " + path + ", not found");
    }
    return new ModelSource.FileSource(path);
  }

  private static ProjectionFile projection(
      Path dir, Json json, String field, ClassLoader resources) {
    if (!json.has(field)) {
      return null;
    }
    var shape = json.node(field + ".shape");
    if (shape == null
        || !shape.isArray()
        || shape.size() != 2
        || !shape.get(0).canConvertToInt()
        || !shape.get(1).canConvertToInt()
        || shape.get(0).asInt() <= 0
        || shape.get(1).asInt() <= 0) {
      throw json.invalid(field + ".shape", "[inputs, outputs], two positive integers", shape);
    }
    return new ProjectionFile(
        source(dir, json, field + ".file", resources), shape.get(0).asInt(), shape.get(1).asInt());
  }

  // -- Hugging Face / transformers.js / optimum ---------------------------------------------------

  private static ModelDescription huggingFace(Path dir, Variant variant) {
    String suffix = suffix(variant);
    ModelSource vision = required(dir, "onnx/vision_model" + suffix + ".onnx", variant);
    ModelSource textModel = required(dir, "onnx/text_model" + suffix + ".onnx", variant);
    ModelSource tokenizer = required(dir, TOKENIZER_JSON, variant);
    ModelSource configFile = required(dir, "config.json", variant);
    Json config = Json.read(configFile);
    List<ModelSource> configs = new ArrayList<>(List.of(configFile));
    if (SIGLIP_MODEL_TYPE.equals(config.text("model_type", ""))) {
      return siglip(dir, vision, textModel, tokenizer, config, configs);
    }

    PreprocessConfig clip = PreprocessConfig.CLIP;
    int imageSize = config.positiveInt("vision_config.image_size", clip.size());
    PreprocessConfig preprocess = new PreprocessConfig(imageSize, clip.mean(), clip.std());
    if (exists(dir, "preprocessor_config.json")) {
      ModelSource file = new ModelSource.FileSource(dir.resolve("preprocessor_config.json"));
      configs.add(file);
      preprocess = hfPreprocess(Json.read(file), imageSize);
    }
    String name = config.text("_name_or_path", "clip");
    return new ModelDescription(
        dir,
        ModelLayout.HUGGING_FACE,
        name.substring(name.lastIndexOf('/') + 1),
        config.positiveInt("projection_dim", 0),
        ModelSpec.DEFAULT_LOGIT_SCALE,
        new ImageTower(vision, null, null, preprocess, null),
        new TextTower(
            textModel,
            tokenizer,
            config.positiveInt(
                "text_config.max_position_embeddings", ModelSpec.CLIP_CONTEXT_LENGTH),
            null,
            null,
            Pooling.NONE,
            false,
            null),
        configs);
  }

  /** CLIPImageProcessor settings; anything but CLIP's resize-shorter-side + center-crop fails. */
  static PreprocessConfig hfPreprocess(Json json, int defaultSize) {
    int crop = json.squareSide("crop_size", defaultSize);
    int resize = json.squareSide("size", crop);
    if (resize != crop) {
      throw new ModelLoadException(
          json.file()
              + ": resizing to "
              + resize
              + " then cropping to "
              + crop
              + " is not supported; only CLIP's resize-to-crop-size is");
    }
    if (!json.bool("do_resize", true)
        || !json.bool("do_center_crop", true)
        || !json.bool("do_normalize", true)) {
      throw new ModelLoadException(
          json.file() + ": do_resize, do_center_crop and do_normalize must be true");
    }
    int resample = json.positiveInt("resample", 3);
    if (resample != 3) {
      throw new ModelLoadException(
          json.file() + ": resample " + resample + " is not supported; only bicubic (3) is");
    }
    return preprocess(json, crop, "image_mean", "image_std");
  }

  // -- SigLIP (Hugging Face / transformers.js / optimum, config.json model_type "siglip")
  // ----------

  static final String SIGLIP_MODEL_TYPE = "siglip";

  /** SiglipImageProcessor's mean and std. */
  private static final float[] SIGLIP_MEAN_STD = {0.5f, 0.5f, 0.5f};

  /**
   * SigLIP: the image is squashed to the square (no crop), normalized with mean and std 0.5; the
   * text tower's {@code pooler_output} is the embedding and every text is padded to the context
   * (64); zero-shot scores are {@code sigmoid(exp(logit_scale) * cos + logit_bias)} when
   * config.json holds {@code logit_scale} and {@code logit_bias}, else plain cosines. A value
   * config.json does not state takes the default of transformers' SigLIP config classes (image 224,
   * hidden size 768, 64 positions), as transformers itself does.
   */
  private static ModelDescription siglip(
      Path dir,
      ModelSource vision,
      ModelSource textModel,
      ModelSource tokenizer,
      Json config,
      List<ModelSource> configs) {
    int imageSize = config.positiveInt("vision_config.image_size", 224);
    PreprocessConfig preprocess =
        new PreprocessConfig(
            imageSize, SIGLIP_MEAN_STD, SIGLIP_MEAN_STD, PreprocessConfig.Resize.SQUASH);
    if (exists(dir, "preprocessor_config.json")) {
      ModelSource file = new ModelSource.FileSource(dir.resolve("preprocessor_config.json"));
      configs.add(file);
      preprocess = siglipPreprocess(Json.read(file), imageSize);
    }
    int width = config.positiveInt("vision_config.hidden_size", 768);
    int textWidth = config.positiveInt("text_config.hidden_size", 768);
    String name = config.text("_name_or_path", SIGLIP_MODEL_TYPE);
    return new ModelDescription(
        dir,
        ModelLayout.HUGGING_FACE,
        name.substring(name.lastIndexOf('/') + 1),
        width == textWidth ? width : 0,
        ModelSpec.DEFAULT_LOGIT_SCALE,
        new ImageTower(vision, null, SIGLIP_OUTPUT, preprocess, null),
        new TextTower(
            textModel,
            tokenizer,
            config.positiveInt("text_config.max_position_embeddings", 64),
            null,
            SIGLIP_OUTPUT,
            Pooling.NONE,
            false,
            null,
            null,
            true),
        configs,
        siglipScores(config));
  }

  /** The output both SigLIP towers' exports give their embedding in. */
  static final String SIGLIP_OUTPUT = "pooler_output";

  /** SiglipImageProcessor settings: resize the whole image, no crop. */
  private static PreprocessConfig siglipPreprocess(Json json, int defaultSize) {
    int size = json.squareSide("size", defaultSize);
    if (json.bool("do_center_crop", false)) {
      throw new ModelLoadException(
          json.file() + ": do_center_crop is true; SigLIP's processor resizes without a crop");
    }
    if (!json.bool("do_resize", true)
        || !json.bool("do_rescale", true)
        || !json.bool("do_normalize", true)) {
      throw new ModelLoadException(
          json.file() + ": do_resize, do_rescale and do_normalize must be true");
    }
    float rescale = json.positiveFloat("rescale_factor", 1f / 255);
    if (Math.abs(rescale * 255 - 1) > 1e-6) {
      throw new ModelLoadException(
          json.file() + ": rescale_factor " + rescale + " is not supported; only 1/255 is");
    }
    int resample = json.positiveInt("resample", 3);
    if (resample != 3) {
      throw new ModelLoadException(
          json.file() + ": resample " + resample + " is not supported; only bicubic (3) is");
    }
    float[] mean = json.floats("image_mean", 3);
    float[] std = json.floats("image_std", 3);
    return new PreprocessConfig(
        size,
        mean == null ? SIGLIP_MEAN_STD : mean,
        std == null ? SIGLIP_MEAN_STD : std,
        PreprocessConfig.Resize.SQUASH);
  }

  /**
   * SigLIP's sigmoid with {@code exp(logit_scale)} and {@code logit_bias} from config.json (the
   * checkpoint's two learned scalars; the project's generator writes them there, Hugging Face's
   * exports do not), else cosines: the scores then rank labels as the sigmoid would, but are no
   * probabilities.
   */
  private static ScoreFunction siglipScores(Json config) {
    boolean hasScale = config.has("logit_scale");
    boolean hasBias = config.has("logit_bias");
    if (!hasScale && !hasBias) {
      return ScoreFunction.cosine();
    }
    if (!hasScale || !hasBias) {
      throw config.missing(hasScale ? "logit_bias" : "logit_scale");
    }
    var scale = config.node("logit_scale");
    var bias = config.node("logit_bias");
    if (!scale.isNumber() || !Double.isFinite(Math.exp(scale.asDouble()))) {
      throw config.invalid("logit_scale", "a number, the log of the scale", scale);
    }
    if (!bias.isNumber()) {
      throw config.invalid("logit_bias", "a number", bias);
    }
    return ScoreFunction.sigmoid((float) Math.exp(scale.asDouble()), (float) bias.asDouble());
  }

  // -- open_clip (Immich) -------------------------------------------------------------------------

  private static ModelDescription openClip(Path dir) {
    Variant fp32 = Variant.FP32;
    ModelSource visual = required(dir, "visual/model.onnx", fp32);
    ModelSource textual = required(dir, "textual/model.onnx", fp32);
    ModelSource configFile = required(dir, "config.json", fp32);
    Json config = Json.read(configFile);
    List<ModelSource> configs = new ArrayList<>(List.of(configFile));
    ModelSource tokenizer = null;
    for (String candidate :
        List.of("textual/" + TOKENIZER_JSON, TOKENIZER_JSON, "textual/" + CLIP_VOCAB, CLIP_VOCAB)) {
      if (exists(dir, candidate)) {
        tokenizer = new ModelSource.FileSource(dir.resolve(candidate));
        break;
      }
    }
    if (tokenizer == null) {
      throw new ModelLoadException(
          "open_clip model "
              + dir
              + " has no tokenizer: expected textual/"
              + TOKENIZER_JSON
              + " or textual/"
              + CLIP_VOCAB
              + "; files found: "
              + listing(dir));
    }
    int imageSize = config.positiveInt("vision_cfg.image_size", PreprocessConfig.CLIP.size());
    PreprocessConfig preprocess;
    if (exists(dir, "visual/preprocess_cfg.json")) {
      ModelSource file = new ModelSource.FileSource(dir.resolve("visual/preprocess_cfg.json"));
      configs.add(file);
      preprocess = openClipPreprocess(Json.read(file), imageSize);
    } else {
      preprocess = preprocess(config, imageSize, "vision_cfg.image_mean", "vision_cfg.image_std");
    }
    return new ModelDescription(
        dir,
        ModelLayout.OPEN_CLIP,
        "open-clip",
        config.positiveInt("embed_dim", 0),
        ModelSpec.DEFAULT_LOGIT_SCALE,
        new ImageTower(visual, null, null, preprocess, null),
        new TextTower(
            textual,
            tokenizer,
            config.positiveInt("text_cfg.context_length", ModelSpec.CLIP_CONTEXT_LENGTH),
            null,
            null,
            Pooling.NONE,
            false,
            null),
        configs);
  }

  private static PreprocessConfig openClipPreprocess(Json json, int defaultSize) {
    int size = json.squareSide("size", defaultSize);
    String resizeMode = json.text("resize_mode", "shortest");
    String interpolation = json.text("interpolation", "bicubic");
    String mode = json.text("mode", "RGB");
    if (!resizeMode.equals("shortest") || !interpolation.equals("bicubic") || !mode.equals("RGB")) {
      throw new ModelLoadException(
          json.file()
              + ": only resize_mode 'shortest', interpolation 'bicubic' and mode 'RGB' are"
              + " supported (CLIP's preprocessing), got '"
              + resizeMode
              + "', '"
              + interpolation
              + "', '"
              + mode
              + "'");
    }
    return preprocess(json, size, "mean", "std");
  }

  private static PreprocessConfig preprocess(Json json, int size, String meanPath, String stdPath) {
    float[] mean = json.floats(meanPath, 3);
    float[] std = json.floats(stdPath, 3);
    PreprocessConfig clip = PreprocessConfig.CLIP;
    return new PreprocessConfig(
        size, mean == null ? clip.mean() : mean, std == null ? clip.std() : std);
  }

  // -- helpers ------------------------------------------------------------------------------------

  static void requireFp32(Path dir, Variant variant, ModelLayout layout) {
    if (variant != Variant.FP32) {
      throw new ModelLoadException(
          "model "
              + dir
              + " ("
              + layout
              + " layout) has no "
              + variant
              + " variant; only Hugging Face exports offer variants");
    }
  }

  static boolean exists(Path dir, String relative) {
    return Files.isRegularFile(dir.resolve(relative));
  }

  static ModelSource required(Path dir, String relative, Variant variant) {
    Path path = dir.resolve(relative);
    if (!Files.isRegularFile(path)) {
      String what = variant == Variant.FP32 ? "" : " (" + variant + " variant)";
      throw new ModelLoadException(
          "model " + dir + " lacks " + relative + what + "; files found: " + listing(dir));
    }
    return new ModelSource.FileSource(path);
  }

  /** The directory's files two levels deep, relative and sorted, for error messages. */
  static String listing(Path dir) {
    try (Stream<Path> files = Files.walk(dir, 2)) {
      List<String> names =
          files
              .filter(p -> !p.equals(dir))
              .map(p -> dir.relativize(p) + (Files.isDirectory(p) ? "/" : ""))
              .sorted()
              .toList();
      if (names.isEmpty()) {
        return "none";
      }
      String shown = String.join(", ", names.subList(0, Math.min(LISTED_FILES, names.size())));
      return names.size() > LISTED_FILES
          ? shown + String.format(Locale.ROOT, " and %d more", names.size() - LISTED_FILES)
          : shown;
    } catch (IOException e) {
      return "(cannot list: " + e.getMessage() + ")";
    }
  }
}
