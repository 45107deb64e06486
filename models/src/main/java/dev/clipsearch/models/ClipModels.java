package dev.clipsearch.models;

import dev.clipsearch.models.onnx.OnnxClipModel;
import java.nio.file.Path;

/**
 * Loads CLIP models from directories. The layout is detected: the project's manifest ({@code
 * clipsearch-model.json}) first, then a Hugging Face / transformers.js export ({@code
 * onnx/vision_model.onnx}, {@code onnx/text_model.onnx}), then an open_clip export as Immich ships
 * it ({@code visual/model.onnx}, {@code textual/model.onnx}). models/MODEL_FORMAT.md describes them
 * and how the model id is formed.
 */
public final class ClipModels {

  private ClipModels() {}

  /**
   * Loads the model in {@code modelDir}; manifest entries written {@code classpath:NAME} are looked
   * up through this library's class loader.
   *
   * @throws ModelLoadException naming the directory and the files found when nothing fits, or the
   *     file and the reason when one is unusable, or when {@code cuda} was requested and cannot be
   *     used
   */
  public static ClipModel load(Path modelDir, RuntimeOptions options) {
    return load(modelDir, options, ClipModels.class.getClassLoader());
  }

  /**
   * As {@link #load(Path, RuntimeOptions)}, resolving {@code classpath:} entries in {@code
   * resources}.
   */
  public static ClipModel load(Path modelDir, RuntimeOptions options, ClassLoader resources) {
    return OnnxClipModel.load(modelDir, options, resources);
  }
}
