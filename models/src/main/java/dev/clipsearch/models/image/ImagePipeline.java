package dev.clipsearch.models.image;

import java.util.Objects;

/**
 * Encoded image bytes to the image tower's input: {@link ImageDecoder} then {@link
 * ClipImagePreprocessor}. Thread-safe, as both parts are.
 */
public final class ImagePipeline {

  private final ImageDecoder decoder;
  private final ClipImagePreprocessor preprocessor;

  /** A pipeline made of the given decoder and preprocessor. */
  public ImagePipeline(ImageDecoder decoder, ClipImagePreprocessor preprocessor) {
    this.decoder = Objects.requireNonNull(decoder, "decoder");
    this.preprocessor = Objects.requireNonNull(preprocessor, "preprocessor");
  }

  /**
   * Decodes and preprocesses one image.
   *
   * @param data the encoded image, entire
   * @param sourceName where the bytes came from, for error messages
   * @return the CHW float tensor, {@link PreprocessConfig#tensorLength()} values
   * @throws ImageDecodeException when the image cannot be decoded, or is so elongated that its long
   *     side cannot be resized (UNSUPPORTED_FORMAT)
   */
  public float[] preprocess(byte[] data, String sourceName) throws ImageDecodeException {
    DecodedImage image = decoder.decode(data, sourceName);
    try {
      return preprocessor.preprocess(image);
    } catch (IllegalArgumentException e) { // an image too elongated to resize
      throw new ImageDecodeException(
          ImageDecodeException.Reason.UNSUPPORTED_FORMAT, sourceName, e.getMessage(), e);
    }
  }

  /** The decoder. */
  public ImageDecoder decoder() {
    return decoder;
  }

  /** The preprocessor. */
  public ClipImagePreprocessor preprocessor() {
    return preprocessor;
  }
}
