package dev.clipsearch.models.bench;

import dev.clipsearch.models.image.ClipImagePreprocessor;
import dev.clipsearch.models.image.ImageDecodeException;
import dev.clipsearch.models.image.ImageDecoder;
import dev.clipsearch.models.image.ImageLimits;
import dev.clipsearch.models.image.PreprocessConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The price of the {@code fast} decode mode: for each JPEG of the given folders and each margin
 * (the reduced decode keeps a short side of at least input size x margin), the mean and max
 * absolute difference of the preprocessed tensor from the exact one, in 8-bit levels (a difference
 * in normalized units times std x 255). Prints one line per image and margin, then the worst mean
 * and the largest max per margin.
 *
 * <pre>FastDecodeDeviation DIR... </pre>
 */
public final class FastDecodeDeviation {

  private static final double[] MARGINS = {1.0, 1.25, 1.5, 2.0};

  private FastDecodeDeviation() {}

  public static void main(String[] args) throws IOException, ImageDecodeException {
    PreprocessConfig config = PreprocessConfig.CLIP;
    ClipImagePreprocessor preprocessor = new ClipImagePreprocessor(config);
    ImageDecoder exact = new ImageDecoder(ImageLimits.DEFAULT);
    if (!exact.usesTurboJpeg()) {
      throw new IllegalStateException("libjpeg-turbo is needed: " + exact.jpegDecoder());
    }
    double[] worstMean = new double[MARGINS.length];
    double[] worstMax = new double[MARGINS.length];
    System.out.printf(
        Locale.ROOT,
        "%-28s %11s %6s %12s %12s%n",
        "image",
        "size",
        "margin",
        "decoded",
        "mean/max lv");
    for (String dir : args) {
      List<Path> files;
      try (Stream<Path> list = Files.list(Path.of(dir))) {
        files = list.filter(f -> f.toString().endsWith(".jpg")).sorted().toList();
      }
      for (Path file : files) {
        byte[] data = Files.readAllBytes(file);
        var full = exact.decode(data, file.toString());
        float[] reference = preprocessor.preprocess(full);
        for (int m = 0; m < MARGINS.length; m++) {
          ImageDecoder fast = exact.reducedTo((int) Math.ceil(config.size() * MARGINS[m]));
          var reduced = fast.decode(data, file.toString());
          float[] tensor = preprocessor.preprocess(reduced);
          int plane = config.size() * config.size();
          double sum = 0;
          double max = 0;
          for (int i = 0; i < tensor.length; i++) {
            double levels = Math.abs(tensor[i] - reference[i]) * config.std()[i / plane] * 255;
            sum += levels;
            max = Math.max(max, levels);
          }
          double mean = sum / tensor.length;
          worstMean[m] = Math.max(worstMean[m], mean);
          worstMax[m] = Math.max(worstMax[m], max);
          System.out.printf(
              Locale.ROOT,
              "%-28s %11s %6.2f %12s %5.2f/%5.1f%n",
              file.getFileName(),
              full.width() + "x" + full.height(),
              MARGINS[m],
              reduced.width() + "x" + reduced.height(),
              mean,
              max);
        }
      }
    }
    for (int m = 0; m < MARGINS.length; m++) {
      System.out.printf(
          Locale.ROOT,
          "margin %.2f: worst per-image mean %.2f levels, largest max %.1f levels%n",
          MARGINS[m],
          worstMean[m],
          worstMax[m]);
    }
  }
}
