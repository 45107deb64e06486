package dev.clipsearch.searcher.testing;

import dev.clipsearch.indexer.image.ImageProcessor;
import dev.clipsearch.indexer.image.ImageRejectedException;
import dev.clipsearch.indexer.image.ProcessedImage;
import dev.clipsearch.indexer.report.FailureReason;
import dev.clipsearch.models.image.PreprocessConfig;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * A test stand-in for the real decode stage that feeds a real model: JDK ImageIO decoding, a
 * bilinear squash to the model's input size and its mean/std normalization (not CLIP's exact resize
 * and crop: tests here check the server, not preprocessing parity).
 */
public final class ResizingImageProcessor implements ImageProcessor {

  private final PreprocessConfig config;

  public ResizingImageProcessor(PreprocessConfig config) {
    this.config = config;
  }

  @Override
  public ProcessedImage process(byte[] data, String sourceName) throws ImageRejectedException {
    if (data.length == 0) {
      throw new ImageRejectedException(FailureReason.EMPTY_IMAGE, sourceName + " is empty", null);
    }
    BufferedImage image;
    try {
      image = ImageIO.read(new ByteArrayInputStream(data));
    } catch (IOException e) {
      throw new ImageRejectedException(FailureReason.CORRUPT_IMAGE, sourceName + ": " + e, e);
    }
    if (image == null) {
      throw new ImageRejectedException(
          FailureReason.UNSUPPORTED_FORMAT, sourceName + " is not a supported image", null);
    }
    int size = config.size();
    BufferedImage scaled = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    var g = scaled.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(image, 0, 0, size, size, null);
    g.dispose();
    float[] mean = config.mean();
    float[] std = config.std();
    float[] tensor = new float[config.tensorLength()];
    int plane = size * size;
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int rgb = scaled.getRGB(x, y);
        int p = y * size + x;
        tensor[p] = (((rgb >> 16) & 0xFF) / 255f - mean[0]) / std[0];
        tensor[plane + p] = (((rgb >> 8) & 0xFF) / 255f - mean[1]) / std[1];
        tensor[2 * plane + p] = ((rgb & 0xFF) / 255f - mean[2]) / std[2];
      }
    }
    return new ProcessedImage(tensor, image.getWidth(), image.getHeight(), null);
  }
}
