package dev.clipsearch.models.onnx;

import java.util.List;

/**
 * The model directory layouts the runtime recognizes, each with the files it needs (named in the
 * error for a directory that matches none). {@link ModelDirectory} looks for the manifest first,
 * then a sentence-transformers {@code modules.json}, then the Hugging Face and open_clip exports.
 */
public enum ModelLayout {
  /** The project's own {@code clipsearch-model.json} (see models/MODEL_FORMAT.md). */
  MANIFEST(
      "manifest",
      "the project's manifest, naming its own ONNX and tokenizer files",
      List.of(List.of(ModelDirectory.MANIFEST)),
      List.of()),
  /** Hugging Face / transformers.js / optimum: {@code onnx/vision_model.onnx}, ... */
  HUGGING_FACE(
      "hf",
      "Hugging Face / transformers.js, one ONNX file per tower; _quantized and _fp16 variants"
          + " beside them",
      List.of(
          List.of("onnx/vision_model.onnx"),
          List.of("onnx/text_model.onnx"),
          List.of(ModelDirectory.TOKENIZER_JSON),
          List.of("config.json")),
      List.of("preprocessor_config.json")),
  /** open_clip as Immich exports it: {@code visual/model.onnx}, {@code textual/model.onnx}. */
  OPEN_CLIP(
      "open_clip",
      "open_clip as Immich exports it",
      List.of(
          List.of("visual/model.onnx"),
          List.of("textual/model.onnx"),
          List.of("config.json"),
          List.of(
              "textual/" + ModelDirectory.TOKENIZER_JSON,
              "textual/" + ModelDirectory.CLIP_VOCAB,
              ModelDirectory.TOKENIZER_JSON,
              ModelDirectory.CLIP_VOCAB)),
      List.of("visual/preprocess_cfg.json")),
  /**
   * A sentence-transformers text model aligned to CLIP's image space ({@code
   * clip-ViT-B-32-multilingual-v1}) with the CLIP image tower in {@code image/}.
   */
  SENTENCE_TRANSFORMERS(
      "st",
      "a sentence-transformers text model (Transformer, mean Pooling, Dense) aligned to a CLIP"
          + " image tower, which is in image/ as a Hugging Face export's image half",
      List.of(
          List.of(SentenceTransformersDirectory.MODULES),
          List.of(SentenceTransformersDirectory.TEXT_ONNX),
          List.of(ModelDirectory.TOKENIZER_JSON),
          List.of("1_Pooling/config.json"),
          List.of(SentenceTransformersDirectory.IMAGE_ONNX)),
      List.of(
          "sentence_bert_config.json",
          "2_Dense/config.json",
          "2_Dense/model.safetensors",
          "image/config.json",
          "image/preprocessor_config.json"));

  private final String label;
  private final String description;
  private final List<List<String>> requiredFiles;
  private final List<String> optionalFiles;

  ModelLayout(
      String label,
      String description,
      List<List<String>> requiredFiles,
      List<String> optionalFiles) {
    this.label = label;
    this.description = description;
    this.requiredFiles = requiredFiles;
    this.optionalFiles = optionalFiles;
  }

  /** What the layout is, for people. */
  public String description() {
    return description;
  }

  /**
   * The files the layout needs, relative to the model directory: each entry is one requirement, met
   * by any one of its alternatives (in the order they are looked for).
   */
  public List<List<String>> requiredFiles() {
    return requiredFiles;
  }

  /** Files read when present (preprocessing settings). */
  public List<String> optionalFiles() {
    return optionalFiles;
  }

  @Override
  public String toString() {
    return label;
  }
}
