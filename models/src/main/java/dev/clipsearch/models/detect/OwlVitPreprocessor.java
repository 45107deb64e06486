package dev.clipsearch.models.detect;

import dev.clipsearch.models.image.BicubicResizer;
import dev.clipsearch.models.image.DecodedImage;
import dev.clipsearch.models.image.PreprocessConfig;
import java.util.Objects;

/**
 * OWL-ViT's image preprocessing, as Hugging Face's {@code OwlViTImageProcessor} does it: resize the
 * whole image to {@code size x size} with PIL's bicubic filter (aspect ratio not kept, no crop),
 * scale to [0, 1], normalize with the model's mean and std, CHW float32. Gray images are resized
 * single-channel and replicated to RGB, which gives the same values. Pure and thread-safe.
 */
public final class OwlVitPreprocessor {

  private final PreprocessConfig config;
  private final float[][] levels = new float[3][256];

  /** A preprocessor for the given input size and normalization. */
  public OwlVitPreprocessor(PreprocessConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    float[] mean = config.mean();
    float[] std = config.std();
    for (int c = 0; c < 3; c++) {
      for (int v = 0; v < 256; v++) {
        levels[c][v] = (v / 255f - mean[c]) / std[c];
      }
    }
  }

  /** The input size and normalization. */
  public PreprocessConfig config() {
    return config;
  }

  /** The model input: {@code 3 * size * size} floats, RGB planes, row-major. */
  public float[] preprocess(DecodedImage image) {
    int size = config.size();
    DecodedImage resized = BicubicResizer.resize(image, size, size);
    byte[] pixels = resized.pixels();
    int channels = resized.channels();
    int plane = size * size;
    float[] tensor = new float[3 * plane];
    for (int i = 0; i < plane; i++) {
      int p = i * channels;
      for (int c = 0; c < 3; c++) {
        tensor[c * plane + i] = levels[c][pixels[p + (channels == 3 ? c : 0)] & 0xFF];
      }
    }
    return tensor;
  }
}
