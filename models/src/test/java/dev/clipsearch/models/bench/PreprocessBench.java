package dev.clipsearch.models.bench;

import dev.clipsearch.models.image.ClipImagePreprocessor;
import dev.clipsearch.models.image.DecodeMode;
import dev.clipsearch.models.image.DecodedImage;
import dev.clipsearch.models.image.ImageDecodeException;
import dev.clipsearch.models.image.ImageDecoder;
import dev.clipsearch.models.image.ImageLimits;
import dev.clipsearch.models.image.PreprocessConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Single-threaded preprocessing throughput: decode, then resize + crop + normalize, over every
 * image of a folder, in images per second of this thread's CPU time (so that other processes on a
 * shared machine do not count against it) and, for reference, of wall-clock time. Measured for the
 * {@code exact} decode (libjpeg-turbo at full size), the {@code fast} decode ({@link
 * DecodeMode#FAST}) and the ImageIO fallback. Prints one line per measure, {@code name cpu-rate
 * wall-rate}, read by models/bench/preprocess-bench.sh, which runs
 * models/reference/bench_preprocess_pil.py beside it.
 *
 * <pre>PreprocessBench IMAGE_DIR [SECONDS_PER_MEASURE]</pre>
 */
public final class PreprocessBench {

  private PreprocessBench() {}

  public static void main(String[] args) throws IOException, ImageDecodeException {
    if (args.length < 1) {
      System.err.println("usage: PreprocessBench IMAGE_DIR [SECONDS_PER_MEASURE]");
      System.exit(2);
    }
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5;
    List<Path> files;
    try (Stream<Path> list = Files.list(Path.of(args[0]))) {
      files = list.filter(Files::isRegularFile).sorted().toList();
    }
    List<byte[]> encoded = new ArrayList<>();
    for (Path file : files) {
      encoded.add(Files.readAllBytes(file));
    }
    ImageDecoder exact = new ImageDecoder(ImageLimits.DEFAULT);
    if (!exact.usesTurboJpeg()) {
      System.err.println("warning: " + exact.jpegDecoder());
    }
    ImageDecoder fast = DecodeMode.FAST.decoder(exact, PreprocessConfig.CLIP.size());
    ImageDecoder imageIo = exact.withoutTurboJpeg();
    ClipImagePreprocessor preprocessor = new ClipImagePreprocessor(PreprocessConfig.CLIP);
    List<DecodedImage> decoded = new ArrayList<>();
    for (int i = 0; i < encoded.size(); i++) {
      decoded.add(exact.decode(encoded.get(i), files.get(i).toString()));
    }

    // warm-up: let the JIT compile every path before measuring
    run(full(exact, preprocessor, encoded, files), encoded.size(), seconds);
    run(full(fast, preprocessor, encoded, files), encoded.size(), seconds / 2);
    System.out.println("images " + encoded.size());
    for (var decoder : List.of(Map.entry("exact", exact), Map.entry("fast", fast))) {
      report(
          decoder.getKey() + ":decode+preprocess",
          run(full(decoder.getValue(), preprocessor, encoded, files), encoded.size(), seconds));
      report(
          decoder.getKey() + ":decode",
          run(
              i -> decoder.getValue().decode(encoded.get(i), files.get(i).toString()),
              encoded.size(),
              seconds));
    }
    report(
        "imageio:decode+preprocess",
        run(full(imageIo, preprocessor, encoded, files), encoded.size(), seconds));
    report(
        "imageio:decode",
        run(i -> imageIo.decode(encoded.get(i), files.get(i).toString()), encoded.size(), seconds));
    report(
        "exact:preprocess",
        run(i -> preprocessor.preprocess(decoded.get(i)), encoded.size(), seconds));
  }

  private static Measure full(
      ImageDecoder decoder,
      ClipImagePreprocessor preprocessor,
      List<byte[]> encoded,
      List<Path> files) {
    return i -> preprocessor.preprocess(decoder.decode(encoded.get(i), files.get(i).toString()));
  }

  /** One unit of work on image i. */
  private interface Measure {
    Object apply(int i) throws ImageDecodeException;
  }

  /** Whole passes over the images for at least the given CPU time; {cpu rate, wall rate}. */
  private static double[] run(Measure measure, int images, double seconds)
      throws ImageDecodeException {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long sink = 0;
    long wallStart = System.nanoTime();
    long cpuStart = threads.getCurrentThreadCpuTime();
    long budget = (long) (seconds * 1e9);
    int done = 0;
    do {
      for (int i = 0; i < images; i++) {
        sink += measure.apply(i).hashCode();
        done++;
      }
    } while (threads.getCurrentThreadCpuTime() - cpuStart < budget);
    double cpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
    double wall = (System.nanoTime() - wallStart) / 1e9;
    if (sink == 42) {
      System.err.print(""); // keeps the results alive
    }
    return new double[] {done / cpu, done / wall};
  }

  private static void report(String name, double[] rates) {
    System.out.println(String.format(Locale.ROOT, "%s %.2f %.2f", name, rates[0], rates[1]));
  }
}
