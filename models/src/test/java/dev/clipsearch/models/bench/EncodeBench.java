package dev.clipsearch.models.bench;

import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ClipModels;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.onnx.OnnxClipModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Encode throughput (model inference alone: no decoding, no preprocessing) at several batch sizes.
 * Prints a table; run through {@code models/bench/encode-bench.sh}.
 *
 * <pre>
 * EncodeBench --model DIR [--device cpu] [--threads 2] [--batches 1,8,32] [--seconds 10]
 * </pre>
 */
public final class EncodeBench {

  /** Product-search style queries, 3 to 12 tokens each. */
  static final List<String> QUERIES =
      List.of(
          "red running shoes",
          "black leather ankle boots with a low heel",
          "summer dress",
          "stainless steel water bottle 1 litre",
          "wireless noise cancelling headphones over ear",
          "kids raincoat yellow",
          "oak coffee table",
          "a photo of a blue ceramic mug on a wooden table",
          "mens slim fit chinos beige",
          "gold hoop earrings",
          "waterproof hiking backpack 30l",
          "vintage denim jacket");

  private EncodeBench() {}

  public static void main(String[] args) {
    Path model = null;
    Device device = Device.CPU;
    int threads = 2;
    int[] batches = {1, 8, 32};
    double seconds = 10;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--model" -> model = Path.of(value);
        case "--device" -> device = Device.parse(value);
        case "--threads" -> threads = Integer.parseInt(value);
        case "--batches" ->
            batches = Arrays.stream(value.split(",")).mapToInt(Integer::parseInt).toArray();
        case "--seconds" -> seconds = Double.parseDouble(value);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
      i++;
    }
    if (model == null) {
      throw new IllegalArgumentException("--model DIR is required");
    }
    int largest = Arrays.stream(batches).max().orElse(1);
    RuntimeOptions options =
        RuntimeOptions.defaults()
            .withDevice(device)
            .withIntraOpThreads(threads)
            .withBatchSize(largest);
    long loadStart = System.nanoTime();
    try (ClipModel clip = ClipModels.load(model, options)) {
      double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
      String on = clip instanceof OnnxClipModel onnx ? onnx.device().toString() : device.toString();
      System.out.printf(
          Locale.ROOT,
          "model %s (dimension %d) on %s, %d intra-op threads, %d cores visible; loaded in %.1f s%n",
          clip.id(),
          clip.dimension(),
          on,
          threads,
          Runtime.getRuntime().availableProcessors(),
          loadSeconds);
      System.out.printf(
          Locale.ROOT, "%-6s %6s %12s %14s%n", "input", "batch", "items/s", "ms per batch");
      Random random = new Random(42);
      int tensorLength = clip.spec().preprocess().tensorLength();
      for (int batch : batches) {
        List<float[]> images = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
          float[] t = new float[tensorLength];
          for (int j = 0; j < t.length; j++) {
            t[j] = (float) random.nextGaussian();
          }
          images.add(t);
        }
        report("image", batch, measure(() -> clip.encodeImages(images), seconds));
      }
      for (int batch : batches) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
          texts.add(QUERIES.get(i % QUERIES.size()));
        }
        report("text", batch, measure(() -> clip.encodeTexts(texts), seconds));
      }
    }
  }

  /** Seconds per call: one warm-up call, then calls until {@code seconds} pass (at least 3). */
  static double measure(Supplier<float[][]> call, double seconds) {
    call.get();
    int calls = 0;
    long start = System.nanoTime();
    long elapsed;
    do {
      call.get();
      calls++;
      elapsed = System.nanoTime() - start;
    } while (calls < 3 || elapsed < seconds * 1e9);
    return elapsed / 1e9 / calls;
  }

  static void report(String input, int batch, double secondsPerCall) {
    System.out.printf(
        Locale.ROOT,
        "%-6s %6d %12.1f %14.1f%n",
        input,
        batch,
        batch / secondsPerCall,
        secondsPerCall * 1000);
  }
}
