package dev.clipsearch.models.image;

/**
 * How an image becomes the image tower's input: resize the shorter side to {@code size} with PIL's
 * bicubic filter, center-crop {@code size} x {@code size}, scale to [0, 1], normalize per channel.
 *
 * @param size side of the square model input in pixels (224 for ViT-B/32)
 * @param mean per-channel mean, RGB order
 * @param std per-channel standard deviation, RGB order
 */
public record PreprocessConfig(int size, float[] mean, float[] std) {

  /** The original CLIP pipeline's constants (OpenAI CLIP, open_clip and Hugging Face alike). */
  public static final PreprocessConfig CLIP =
      new PreprocessConfig(
          224,
          new float[] {0.48145466f, 0.4578275f, 0.40821073f},
          new float[] {0.26862954f, 0.26130258f, 0.27577711f});

  public PreprocessConfig {
    if (size <= 0) {
      throw new IllegalArgumentException("image size must be positive, got " + size);
    }
    if (mean.length != 3 || std.length != 3) {
      throw new IllegalArgumentException("mean and std need 3 values (RGB)");
    }
    mean = mean.clone();
    std = std.clone();
  }

  @Override
  public float[] mean() {
    return mean.clone();
  }

  @Override
  public float[] std() {
    return std.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PreprocessConfig other
        && size == other.size
        && java.util.Arrays.equals(mean, other.mean)
        && java.util.Arrays.equals(std, other.std);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * size + java.util.Arrays.hashCode(mean)) + java.util.Arrays.hashCode(std);
  }

  @Override
  public String toString() {
    return "PreprocessConfig[size="
        + size
        + ", mean="
        + java.util.Arrays.toString(mean)
        + ", std="
        + java.util.Arrays.toString(std)
        + "]";
  }

  /** Length of the CHW tensor this config produces: 3 * size * size. */
  public int tensorLength() {
    return 3 * size * size;
  }
}
