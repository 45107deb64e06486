package dev.clipsearch.searcher.testing;

import dev.clipsearch.models.image.ImageDecodeException;
import dev.clipsearch.models.image.ImageDecodeException.Reason;
import dev.clipsearch.models.image.ImageProcessor;
import dev.clipsearch.models.image.ProcessedImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * A stand-in for the real decode stage: decodes with the JDK's ImageIO, refuses what the real one
 * refuses (empty, unknown format, too many pixels from the header, corrupt), and hands the fake
 * model a 2x2 "tensor" of the mean colour.
 */
public final class FakeImageProcessor implements ImageProcessor {

  private final long maxPixels;
  private final boolean thumbnails;

  public FakeImageProcessor(long maxPixels, boolean thumbnails) {
    this.maxPixels = maxPixels;
    this.thumbnails = thumbnails;
  }

  @Override
  public ProcessedImage process(byte[] data, String sourceName) throws ImageDecodeException {
    if (data.length == 0) {
      throw new ImageDecodeException(Reason.EMPTY, sourceName, null);
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new ImageDecodeException(Reason.UNSUPPORTED_FORMAT, sourceName, "no image reader");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in);
        long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
        if (pixels > maxPixels) {
          throw new ImageDecodeException(
              Reason.TOO_MANY_PIXELS, sourceName, "has " + pixels + " pixels");
        }
        BufferedImage image = reader.read(0);
        return toTensor(image);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      throw new ImageDecodeException(Reason.CORRUPT, sourceName, e.getMessage(), e);
    }
  }

  private ProcessedImage toTensor(BufferedImage image) throws IOException {
    double r = 0;
    double g = 0;
    double b = 0;
    int n = image.getWidth() * image.getHeight();
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        r += (rgb >> 16) & 0xFF;
        g += (rgb >> 8) & 0xFF;
        b += rgb & 0xFF;
      }
    }
    float[] tensor = new float[12];
    for (int i = 0; i < 4; i++) {
      tensor[i] = (float) (r / n / 255);
      tensor[4 + i] = (float) (g / n / 255);
      tensor[8 + i] = (float) (b / n / 255);
    }
    byte[] thumbnail = null;
    if (thumbnails) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      BufferedImage small = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
      small.getGraphics().drawImage(image, 0, 0, 4, 4, null);
      ImageIO.write(small, "jpg", out);
      thumbnail = out.toByteArray();
    }
    return new ProcessedImage(tensor, image.getWidth(), image.getHeight(), thumbnail);
  }
}
