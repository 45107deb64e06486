package dev.clipsearch.models.image;

import java.util.Objects;

/**
 * The decode stage: encoded image bytes to the image tower's input. {@link ImageDecoder} (EXIF
 * orientation, alpha over white, CMYK, 16-bit, the pixel limit checked from the header), then
 * {@link ClipImagePreprocessor} (the exact CLIP resize, crop and normalization), plus an optional
 * thumbnail made from the same decoded pixels. Every way an image can be unusable ends as an {@link
 * ImageDecodeException} with its reason, decided here once for the indexer and the server alike: an
 * image so elongated that its long side cannot be resized is {@code UNSUPPORTED_FORMAT}.
 * Thread-safe, as all parts are.
 */
public final class ImagePipeline implements ImageProcessor {

  private final ImageDecoder decoder;
  private final ClipImagePreprocessor preprocessor;
  private final Thumbnailer thumbnailer;

  /** A pipeline that makes no thumbnails (query images). */
  public ImagePipeline(ImageDecoder decoder, ClipImagePreprocessor preprocessor) {
    this(decoder, preprocessor, null);
  }

  /**
   * @param thumbnailer makes the stored thumbnails, or null for none
   */
  public ImagePipeline(
      ImageDecoder decoder, ClipImagePreprocessor preprocessor, Thumbnailer thumbnailer) {
    this.decoder = Objects.requireNonNull(decoder, "decoder");
    this.preprocessor = Objects.requireNonNull(preprocessor, "preprocessor");
    this.thumbnailer = thumbnailer;
  }

  /**
   * A pipeline with the given pixel limit and preprocessing, and thumbnails whose longer side is
   * {@code thumbnailSize} pixels ({@link Thumbnailer#DEFAULT_QUALITY}), or none when it is 0.
   */
  public static ImagePipeline of(
      ImageLimits limits, PreprocessConfig preprocess, int thumbnailSize) {
    return new ImagePipeline(
        new ImageDecoder(limits),
        new ClipImagePreprocessor(preprocess),
        thumbnailSize == 0 ? null : new Thumbnailer(thumbnailSize, Thumbnailer.DEFAULT_QUALITY));
  }

  /**
   * Decodes, preprocesses and, when this pipeline has a thumbnailer, thumbnails one image.
   *
   * @throws ImageDecodeException when the image cannot be decoded, or is so elongated that its long
   *     side cannot be resized (UNSUPPORTED_FORMAT)
   */
  @Override
  public ProcessedImage process(byte[] data, String sourceName) throws ImageDecodeException {
    DecodedImage image = decoder.decode(data, sourceName);
    return new ProcessedImage(
        preprocess(image, sourceName),
        image.width(),
        image.height(),
        thumbnailer == null ? null : thumbnailer.thumbnail(image));
  }

  /**
   * Decodes and preprocesses one image, without a thumbnail.
   *
   * @param data the encoded image, entire
   * @param sourceName where the bytes came from, for error messages
   * @return the CHW float tensor, {@link PreprocessConfig#tensorLength()} values
   * @throws ImageDecodeException as {@link #process}
   */
  public float[] preprocess(byte[] data, String sourceName) throws ImageDecodeException {
    return preprocess(decoder.decode(data, sourceName), sourceName);
  }

  private float[] preprocess(DecodedImage image, String sourceName) throws ImageDecodeException {
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

  /** The thumbnailer, or null when this pipeline makes no thumbnails. */
  public Thumbnailer thumbnailer() {
    return thumbnailer;
  }
}
