package dev.clipsearch.models.image;

/**
 * How an image becomes the image tower's input: resize with PIL's bicubic filter (CLIP: the shorter
 * side to {@code size}, then a center crop of {@code size} x {@code size}; SigLIP: the whole image
 * to {@code size} x {@code size}, aspect ratio not kept), scale to [0, 1], normalize per channel.
 *
 * @param size side of the square model input in pixels (224 for ViT-B/32)
 * @param mean per-channel mean, RGB order
 * @param std per-channel standard deviation, RGB order
 * @param resize how the image is brought to the square input
 */
public record PreprocessConfig(int size, float[] mean, float[] std, Resize resize) {

  /** How an image of any shape becomes the square model input. */
  public enum Resize {
    /** CLIP's: shorter side to the input size, then the center square (aspect ratio kept). */
    SHORTER_SIDE_AND_CENTER_CROP,
    /** SigLIP's: the whole image stretched to the square, no crop (aspect ratio not kept). */
    SQUASH
  }

  /** The original CLIP pipeline's constants (OpenAI CLIP, open_clip and Hugging Face alike). */
  public static final PreprocessConfig CLIP =
      new PreprocessConfig(
          224,
          new float[] {0.48145466f, 0.4578275f, 0.40821073f},
          new float[] {0.26862954f, 0.26130258f, 0.27577711f});

  /** CLIP's resize and center crop with the given size and normalization. */
  public PreprocessConfig(int size, float[] mean, float[] std) {
    this(size, mean, std, Resize.SHORTER_SIDE_AND_CENTER_CROP);
  }

  public PreprocessConfig {
    java.util.Objects.requireNonNull(resize, "resize");
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
        && java.util.Arrays.equals(std, other.std)
        && resize == other.resize;
  }

  @Override
  public int hashCode() {
    return 31
            * (31 * (31 * size + java.util.Arrays.hashCode(mean)) + java.util.Arrays.hashCode(std))
        + resize.hashCode();
  }

  @Override
  public String toString() {
    return "PreprocessConfig[size="
        + size
        + ", mean="
        + java.util.Arrays.toString(mean)
        + ", std="
        + java.util.Arrays.toString(std)
        + (resize == Resize.SQUASH ? ", resize=squash" : "")
        + "]";
  }

  /** The same normalization and size with another resize. */
  public PreprocessConfig withResize(Resize other) {
    return new PreprocessConfig(size, mean, std, other);
  }

  /** Length of the CHW tensor this config produces: 3 * size * size. */
  public int tensorLength() {
    return 3 * size * size;
  }
}
