package dev.clipsearch.models.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.models.ModelLoadException;
import dev.clipsearch.models.image.PreprocessConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The facts about an OWL-ViT model, read from its directory's Hugging Face files (never guessed
 * from its name):
 *
 * <ul>
 *   <li>{@code preprocessor_config.json}: {@code size} (an int, or {@code height} and {@code
 *       width}, which must be equal), {@code image_mean}, {@code image_std}; {@code do_center_crop}
 *       must not be true (OWL-ViT stretches the image to the square);
 *   <li>{@code config.json}: {@code vision_config.image_size}, {@code vision_config.patch_size}
 *       (hence the number of patches) and {@code text_config.max_position_embeddings}, the query
 *       length (16 for every published OWL-ViT);
 *   <li>the pad id: {@code tokenizer.json}'s {@code padding.pad_id} when set, else the id of the
 *       {@code pad_token} of {@code tokenizer_config.json} or {@code special_tokens_map.json} in
 *       {@code tokenizer.json}'s vocabulary ({@code "!"}, id 0, for OWL-ViT).
 * </ul>
 *
 * @param imageSize side of the square model input in pixels
 * @param mean per-channel mean, RGB
 * @param std per-channel standard deviation, RGB
 * @param patchSize the vision transformer's patch side
 * @param queryLength ids per query (context length)
 * @param padId the id queries are padded with; a query whose first id is this one is masked
 */
public record OwlVitConfig(
    int imageSize, float[] mean, float[] std, int patchSize, int queryLength, int padId) {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  public OwlVitConfig {
    if (imageSize <= 0 || patchSize <= 0 || imageSize % patchSize != 0) {
      throw new IllegalArgumentException(
          "image size " + imageSize + " is not a positive multiple of patch size " + patchSize);
    }
    if (queryLength < 2) {
      throw new IllegalArgumentException("query length must be >= 2, got " + queryLength);
    }
    mean = mean.clone();
    std = std.clone();
  }

  /** Patches per image: the number of boxes the model predicts. */
  public int patches() {
    int side = imageSize / patchSize;
    return side * side;
  }

  /** The normalization, as the CLIP image classes describe it. */
  public PreprocessConfig preprocess() {
    return new PreprocessConfig(imageSize, mean, std);
  }

  @Override
  public float[] mean() {
    return mean.clone();
  }

  @Override
  public float[] std() {
    return std.clone();
  }

  /**
   * Reads the configuration of the model in {@code dir}.
   *
   * @throws ModelLoadException naming the file and field that is missing or wrong
   */
  public static OwlVitConfig read(Path dir) {
    JsonNode pre = json(dir.resolve("preprocessor_config.json"));
    JsonNode config = json(dir.resolve("config.json"));
    String preName = dir.resolve("preprocessor_config.json").toString();
    if (pre.path("do_center_crop").asBoolean(false)) {
      throw new ModelLoadException(preName + ": do_center_crop is true; OWL-ViT does not crop");
    }
    JsonNode sizeNode = pre.path("size");
    int size;
    if (sizeNode.isInt()) {
      size = sizeNode.asInt();
    } else if (sizeNode.has("height") && sizeNode.has("width")) {
      size = sizeNode.get("height").asInt();
      if (sizeNode.get("width").asInt() != size) {
        throw new ModelLoadException(preName + ": size is not square: " + sizeNode);
      }
    } else {
      throw new ModelLoadException(preName + ": size is missing or not understood: " + sizeNode);
    }
    float[] mean = three(pre.path("image_mean"), preName + ": image_mean");
    float[] std = three(pre.path("image_std"), preName + ": image_std");
    String configName = dir.resolve("config.json").toString();
    JsonNode vision = config.path("vision_config");
    int visionSize = vision.path("image_size").asInt(768);
    if (visionSize != size) {
      throw new ModelLoadException(
          configName
              + ": vision_config.image_size "
              + visionSize
              + " differs from preprocessor_config.json's size "
              + size);
    }
    int patch = vision.path("patch_size").asInt(32);
    int queryLength = config.path("text_config").path("max_position_embeddings").asInt(16);
    try {
      return new OwlVitConfig(size, mean, std, patch, queryLength, padId(dir));
    } catch (IllegalArgumentException e) {
      throw new ModelLoadException(configName + ": " + e.getMessage(), e);
    }
  }

  private static int padId(Path dir) {
    Path tokenizer = dir.resolve("tokenizer.json");
    JsonNode tok = json(tokenizer);
    if (tok.path("padding").has("pad_id")) {
      return tok.path("padding").get("pad_id").asInt();
    }
    String padToken = null;
    for (String file : new String[] {"tokenizer_config.json", "special_tokens_map.json"}) {
      Path p = dir.resolve(file);
      if (padToken == null && Files.isRegularFile(p)) {
        JsonNode pad = json(p).path("pad_token");
        padToken = pad.isTextual() ? pad.asText() : pad.path("content").asText(null);
      }
    }
    if (padToken == null) {
      throw new ModelLoadException(
          dir
              + ": no pad token: neither tokenizer.json's padding.pad_id nor a pad_token in"
              + " tokenizer_config.json or special_tokens_map.json");
    }
    JsonNode id = tok.path("model").path("vocab").get(padToken);
    if (id == null || !id.isInt()) {
      throw new ModelLoadException(
          tokenizer + ": the pad token \"" + padToken + "\" is not in model.vocab");
    }
    return id.asInt();
  }

  private static float[] three(JsonNode node, String what) {
    if (!node.isArray() || node.size() != 3) {
      throw new ModelLoadException(what + " must be 3 numbers, got " + node);
    }
    return new float[] {
      (float) node.get(0).asDouble(), (float) node.get(1).asDouble(), (float) node.get(2).asDouble()
    };
  }

  private static JsonNode json(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ModelLoadException("OWL-ViT model file not found: " + file);
    }
    try {
      return MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new ModelLoadException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OwlVitConfig other
        && imageSize == other.imageSize
        && patchSize == other.patchSize
        && queryLength == other.queryLength
        && padId == other.padId
        && java.util.Arrays.equals(mean, other.mean)
        && java.util.Arrays.equals(std, other.std);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(
        imageSize,
        patchSize,
        queryLength,
        padId,
        java.util.Arrays.hashCode(mean),
        java.util.Arrays.hashCode(std));
  }
}
