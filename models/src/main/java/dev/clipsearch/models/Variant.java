package dev.clipsearch.models;

import java.util.Locale;

/**
 * Which numeric variant of a model's ONNX files to load, where a model directory offers several
 * (the Hugging Face layout's {@code *_quantized.onnx} and {@code *_fp16.onnx} beside the fp32
 * files). The vectors of different variants differ slightly, so each gets its own model id.
 */
public enum Variant {
  /** Full precision, the default; every layout has it. */
  FP32,
  /** 8-bit quantized weights: smaller and usually faster on CPU, slightly less accurate. */
  QUANTIZED,
  /** Half-precision weights and float16 inputs and outputs; meant for GPUs. */
  FP16;

  /** Parses {@code fp32}, {@code quantized} or {@code fp16} (case-insensitive). */
  public static Variant parse(String text) {
    String s = text == null ? "" : text.strip().toUpperCase(Locale.ROOT);
    for (Variant v : values()) {
      if (v.name().equals(s)) {
        return v;
      }
    }
    throw new IllegalArgumentException(
        "invalid model variant '" + text + "': expected fp32, quantized or fp16");
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
