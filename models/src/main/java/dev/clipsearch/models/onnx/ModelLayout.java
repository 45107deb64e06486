package dev.clipsearch.models.onnx;

/** The model directory layouts the runtime recognizes, in the order it looks for them. */
public enum ModelLayout {
  /** The project's own {@code clipsearch-model.json} (see models/MODEL_FORMAT.md). */
  MANIFEST("manifest"),
  /** Hugging Face / transformers.js / optimum: {@code onnx/vision_model.onnx}, ... */
  HUGGING_FACE("hf"),
  /** open_clip as Immich exports it: {@code visual/model.onnx}, {@code textual/model.onnx}. */
  OPEN_CLIP("open_clip");

  private final String label;

  ModelLayout(String label) {
    this.label = label;
  }

  @Override
  public String toString() {
    return label;
  }
}
