package dev.clipsearch.indexer.testing;

import dev.clipsearch.models.image.DecodedImage;
import dev.clipsearch.models.image.ImageDecodeException;
import dev.clipsearch.models.image.ImageDecodeException.Reason;
import dev.clipsearch.models.image.ImageProcessor;
import dev.clipsearch.models.image.PreprocessConfig;
import dev.clipsearch.models.image.ProcessedImage;
import dev.clipsearch.models.image.Thumbnailer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/**
 * A plain-JDK image processor for pipeline unit tests (the production one is the models module's
 * decoder and CLIP preprocessor): ImageIO decoding, nearest-neighbour resize to the model size.
 */
public final class SimpleImageProcessor implements ImageProcessor {

  private final PreprocessConfig preprocess;
  private final Thumbnailer thumbnailer;
  private final AtomicInteger processed = new AtomicInteger();

  public SimpleImageProcessor(PreprocessConfig preprocess, int thumbnailSize) {
    this.preprocess = preprocess;
    this.thumbnailer =
        thumbnailSize == 0 ? null : new Thumbnailer(thumbnailSize, Thumbnailer.DEFAULT_QUALITY);
  }

  public int processed() {
    return processed.get();
  }

  @Override
  public ProcessedImage process(byte[] data, String sourceName) throws ImageDecodeException {
    processed.incrementAndGet();
    if (data.length == 0) {
      throw new ImageDecodeException(Reason.EMPTY, sourceName, null);
    }
    BufferedImage image;
    try {
      image = ImageIO.read(new ByteArrayInputStream(data));
    } catch (IOException | RuntimeException e) {
      throw new ImageDecodeException(Reason.CORRUPT, sourceName, e.toString(), e);
    }
    if (image == null) {
      throw new ImageDecodeException(Reason.UNSUPPORTED_FORMAT, sourceName, "not an image");
    }
    int w = image.getWidth();
    int h = image.getHeight();
    byte[] rgb = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = image.getRGB(x, y);
        int o = (y * w + x) * 3;
        rgb[o] = (byte) (p >> 16);
        rgb[o + 1] = (byte) (p >> 8);
        rgb[o + 2] = (byte) p;
      }
    }
    DecodedImage decoded = new DecodedImage(w, h, 3, rgb);
    int size = preprocess.size();
    float[] mean = preprocess.mean();
    float[] std = preprocess.std();
    float[] tensor = new float[preprocess.tensorLength()];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          int sx = x * w / size;
          int sy = y * h / size;
          float v = (rgb[(sy * w + sx) * 3 + c] & 0xFF) / 255f;
          tensor[(c * size + y) * size + x] = (v - mean[c]) / std[c];
        }
      }
    }
    return new ProcessedImage(
        tensor, w, h, thumbnailer == null ? null : thumbnailer.thumbnail(decoded));
  }
}
