package dev.clipsearch.models.hub;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which weights of a model to download: full precision, half precision or an 8-bit export. */
public enum ModelVariant {
  /** 32-bit float weights: the reference, and the default. */
  FP32("fp32", "32-bit float weights (reference accuracy)"),
  /** Dynamically quantized, signed 8-bit weights (transformers.js {@code *_int8.onnx}). */
  INT8("int8", "dynamically quantized signed 8-bit weights, about a quarter of the download"),
  /** transformers.js's default 8-bit export ({@code *_quantized.onnx}). */
  Q8("q8", "transformers.js's default 8-bit quantized export, about a quarter of the download"),
  /** Half-precision weights ({@code *_fp16.onnx}): for GPUs, half the download of fp32. */
  FP16("fp16", "16-bit float weights for GPUs (--precision fp16), half the download");

  private final String id;
  private final String description;

  ModelVariant(String id, String description) {
    this.id = id;
    this.description = description;
  }

  /** The short name used on the command line and in directory names: {@code fp32}, {@code int8}. */
  public String id() {
    return id;
  }

  public String description() {
    return description;
  }

  /** Parses {@link #id()} case-insensitively; {@code quantized} is accepted for {@link #Q8}. */
  public static ModelVariant parse(String text) {
    String key = text.strip().toLowerCase(Locale.ROOT);
    if (key.equals("quantized")) {
      return Q8;
    }
    for (ModelVariant v : values()) {
      if (v.id.equals(key)) {
        return v;
      }
    }
    throw new IllegalArgumentException(
        "unknown model variant '"
            + text
            + "'; expected one of "
            + Arrays.stream(values()).map(ModelVariant::id).collect(Collectors.joining(", ")));
  }

  @Override
  public String toString() {
    return id;
  }
}
