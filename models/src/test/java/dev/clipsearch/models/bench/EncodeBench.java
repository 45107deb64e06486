package dev.clipsearch.models.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ClipModels;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.Variant;
import dev.clipsearch.models.onnx.OnnxClipModel;
import java.lang.management.ManagementFactory;
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
 *             [--encoder-sessions 1] [--precision fp32|fp16]
 * </pre>
 *
 * <p>With {@code --encoder-sessions N} the model holds N image sessions and N threads call it at
 * once (as the indexer's encode stage does); images/s is then the sum over the threads.
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

  private static final OperatingSystemMXBean PROCESS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private EncodeBench() {}

  public static void main(String[] args) {
    Path model = null;
    Device device = Device.CPU;
    int threads = 2;
    int[] batches = {1, 8, 32};
    double seconds = 10;
    int sessions = 1;
    Variant precision = Variant.FP32;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--model" -> model = Path.of(value);
        case "--device" -> device = Device.parse(value);
        case "--threads" -> threads = Integer.parseInt(value);
        case "--batches" ->
            batches = Arrays.stream(value.split(",")).mapToInt(Integer::parseInt).toArray();
        case "--seconds" -> seconds = Double.parseDouble(value);
        case "--encoder-sessions" -> sessions = Integer.parseInt(value);
        case "--precision" -> precision = Variant.parse(value);
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
            .withBatchSize(largest)
            .withEncoderSessions(sessions)
            .withVariant(precision);
    long loadStart = System.nanoTime();
    try (ClipModel clip = ClipModels.load(model, options)) {
      double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
      String on = clip instanceof OnnxClipModel onnx ? onnx.device().toString() : device.toString();
      System.out.printf(
          Locale.ROOT,
          "model %s (dimension %d) on %s, %s, %d encoder session(s), %d intra-op threads, %d cores"
              + " visible; loaded in %.1f s%n",
          clip.id(),
          clip.dimension(),
          on,
          precision,
          sessions,
          threads,
          Runtime.getRuntime().availableProcessors(),
          loadSeconds);
      System.out.printf(
          Locale.ROOT,
          "%-6s %6s %12s %14s %16s %14s%n",
          "input",
          "batch",
          "items/s",
          "ms per batch",
          "items/CPU-s",
          "CPU-ms/item");
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
        report(
            "image", batch, measureConcurrent(() -> clip.encodeImages(images), seconds, sessions));
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

  /**
   * Wall-clock and process CPU seconds per call: one warm-up call, then calls until {@code seconds}
   * pass (at least 3). CPU time (all threads, ONNX Runtime's included) is the steadier figure on a
   * machine shared with other work.
   */
  static double[] measure(Supplier<float[][]> call, double seconds) {
    call.get();
    int calls = 0;
    long cpuStart = PROCESS.getProcessCpuTime();
    long start = System.nanoTime();
    long elapsed;
    do {
      call.get();
      calls++;
      elapsed = System.nanoTime() - start;
    } while (calls < 3 || elapsed < seconds * 1e9);
    long cpu = PROCESS.getProcessCpuTime() - cpuStart;
    return new double[] {elapsed / 1e9 / calls, cpu / 1e9 / calls};
  }

  /**
   * As {@link #measure} with {@code callers} threads calling at once: wall and CPU seconds per call
   * of the whole group, so that items/s is the group's rate.
   */
  static double[] measureConcurrent(Supplier<float[][]> call, double seconds, int callers) {
    if (callers <= 1) {
      return measure(call, seconds);
    }
    call.get();
    java.util.concurrent.atomic.AtomicLong calls = new java.util.concurrent.atomic.AtomicLong();
    long cpuStart = PROCESS.getProcessCpuTime();
    long start = System.nanoTime();
    long deadline = start + (long) (seconds * 1e9);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < callers; t++) {
      Thread thread =
          Thread.ofPlatform()
              .start(
                  () -> {
                    int mine = 0;
                    while (mine < 3 || System.nanoTime() < deadline) {
                      call.get();
                      mine++;
                      calls.incrementAndGet();
                    }
                  });
      threads.add(thread);
    }
    for (Thread thread : threads) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    long elapsed = System.nanoTime() - start;
    long cpu = PROCESS.getProcessCpuTime() - cpuStart;
    return new double[] {elapsed / 1e9 / calls.get(), cpu / 1e9 / calls.get()};
  }

  static void report(String input, int batch, double[] perCall) {
    System.out.printf(
        Locale.ROOT,
        "%-6s %6d %12.1f %14.1f %16.1f %14.1f%n",
        input,
        batch,
        batch / perCall[0],
        perCall[0] * 1000,
        batch / perCall[1],
        perCall[1] * 1000 / batch);
  }
}
