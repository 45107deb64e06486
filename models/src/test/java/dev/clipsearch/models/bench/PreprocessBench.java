package dev.clipsearch.models.bench;

import dev.clipsearch.models.image.ClipImagePreprocessor;
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
import java.util.stream.Stream;

/**
 * Single-threaded preprocessing throughput: decode, then resize + crop + normalize, over every
 * image of a folder, in images per second of this thread's CPU time (so that other processes on a
 * shared machine do not count against it) and, for reference, of wall-clock time. Prints one line
 * per measure, {@code name cpu-rate wall-rate}, read by models/bench/preprocess-bench.sh, which
 * runs models/reference/bench_preprocess_pil.py beside it.
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
    ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
    ClipImagePreprocessor preprocessor = new ClipImagePreprocessor(PreprocessConfig.CLIP);
    List<DecodedImage> decoded = new ArrayList<>();
    for (int i = 0; i < encoded.size(); i++) {
      decoded.add(decoder.decode(encoded.get(i), files.get(i).toString()));
    }

    Measure full =
        i -> preprocessor.preprocess(decoder.decode(encoded.get(i), files.get(i).toString()));
    Measure decodeOnly = i -> decoder.decode(encoded.get(i), files.get(i).toString());
    Measure preprocessOnly = i -> preprocessor.preprocess(decoded.get(i));

    // warm-up: let the JIT compile every path before measuring
    run(full, encoded.size(), seconds);
    System.out.println("images " + encoded.size());
    report("decode+preprocess", run(full, encoded.size(), seconds));
    report("decode", run(decodeOnly, encoded.size(), seconds));
    report("preprocess", run(preprocessOnly, encoded.size(), seconds));
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
