package dev.clipsearch.searcher.browser;

import dev.clipsearch.indexer.image.ImageProcessor;
import dev.clipsearch.indexer.image.ImageRejectedException;
import dev.clipsearch.indexer.image.ProcessedImage;
import dev.clipsearch.indexer.image.Thumbnailer;
import dev.clipsearch.indexer.report.FailureReason;
import dev.clipsearch.models.image.DecodedImage;
import dev.clipsearch.models.image.PreprocessConfig;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * The decode stage for the browser tests' server, with the JDK's ImageIO: refuses empty files,
 * files that are no image, headers that declare too many pixels and corrupt data with the indexer's
 * reasons (which the API turns into its error codes), squeezes the picture to the model's input
 * size and normalizes it, and makes thumbnails with the indexer's {@link Thumbnailer}. A stand-in
 * for the models module's decoder and CLIP preprocessor, which the page does not depend on: equal
 * bytes give equal tensors, so an uploaded catalog picture finds its product with similarity 1.
 */
final class PlainImageProcessor implements ImageProcessor {

  private final PreprocessConfig preprocess;
  private final long maxPixels;
  private final Thumbnailer thumbnailer;

  /**
   * @param preprocess the model's input size, mean and standard deviation
   * @param maxPixels images whose header declares more pixels are refused
   * @param thumbnails whether to make thumbnails (catalog images) or not (query images)
   */
  PlainImageProcessor(PreprocessConfig preprocess, long maxPixels, boolean thumbnails) {
    this.preprocess = preprocess;
    this.maxPixels = maxPixels;
    this.thumbnailer =
        thumbnails
            ? new Thumbnailer(Thumbnailer.DEFAULT_MAX_SIDE, Thumbnailer.DEFAULT_QUALITY)
            : null;
  }

  @Override
  public ProcessedImage process(byte[] data, String sourceName) throws ImageRejectedException {
    if (data.length == 0) {
      throw new ImageRejectedException(FailureReason.EMPTY_IMAGE, sourceName + " is empty", null);
    }
    BufferedImage image;
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new ImageRejectedException(
            FailureReason.UNSUPPORTED_FORMAT,
            sourceName + " is not an image in a supported format (JPEG, PNG, GIF, BMP)",
            null);
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in);
        long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
        if (pixels > maxPixels) {
          throw new ImageRejectedException(
              FailureReason.TOO_MANY_PIXELS,
              sourceName + " declares " + pixels + " pixels; at most " + maxPixels,
              null);
        }
        image = reader.read(0);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      throw new ImageRejectedException(
          FailureReason.CORRUPT_IMAGE, sourceName + " is corrupt: " + e.getMessage(), e);
    }
    DecodedImage decoded = rgb(image);
    byte[] thumbnail = thumbnailer == null ? null : thumbnailer.thumbnail(decoded);
    return new ProcessedImage(tensor(image), image.getWidth(), image.getHeight(), thumbnail);
  }

  private static DecodedImage rgb(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    byte[] pixels = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = image.getRGB(x, y);
        int o = (y * w + x) * 3;
        pixels[o] = (byte) (p >> 16);
        pixels[o + 1] = (byte) (p >> 8);
        pixels[o + 2] = (byte) p;
      }
    }
    return new DecodedImage(w, h, 3, pixels);
  }

  /** Bilinear squeeze to the model's square input, then CHW floats normalized per channel. */
  private float[] tensor(BufferedImage image) {
    int size = preprocess.size();
    BufferedImage square = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = square.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(image, 0, 0, size, size, null);
    } finally {
      g.dispose();
    }
    float[] mean = preprocess.mean();
    float[] std = preprocess.std();
    float[] out = new float[preprocess.tensorLength()];
    int plane = size * size;
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int p = square.getRGB(x, y);
        int i = y * size + x;
        out[i] = (((p >> 16) & 0xFF) / 255f - mean[0]) / std[0];
        out[plane + i] = (((p >> 8) & 0xFF) / 255f - mean[1]) / std[1];
        out[2 * plane + i] = ((p & 0xFF) / 255f - mean[2]) / std[2];
      }
    }
    return out;
  }
}
