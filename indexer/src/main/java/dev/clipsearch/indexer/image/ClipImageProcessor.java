package dev.clipsearch.indexer.image;

import dev.clipsearch.indexer.report.FailureReason;
import dev.clipsearch.models.image.ClipImagePreprocessor;
import dev.clipsearch.models.image.DecodedImage;
import dev.clipsearch.models.image.ImageDecodeException;
import dev.clipsearch.models.image.ImageDecoder;
import java.util.Objects;

/**
 * The production decode stage: the models module's {@link ImageDecoder} (EXIF orientation, alpha
 * over white, CMYK, 16-bit, the pixel limit checked from the header) and {@link
 * ClipImagePreprocessor} (the exact CLIP resize, crop and normalization), plus a thumbnail made
 * from the same decoded pixels. Thread-safe.
 */
public final class ClipImageProcessor implements ImageProcessor {

  private final ImageDecoder decoder;
  private final ClipImagePreprocessor preprocessor;
  private final Thumbnailer thumbnailer;

  /**
   * @param thumbnailer makes the stored thumbnails, or null for none
   */
  public ClipImageProcessor(
      ImageDecoder decoder, ClipImagePreprocessor preprocessor, Thumbnailer thumbnailer) {
    this.decoder = Objects.requireNonNull(decoder, "decoder");
    this.preprocessor = Objects.requireNonNull(preprocessor, "preprocessor");
    this.thumbnailer = thumbnailer;
  }

  @Override
  public ProcessedImage process(byte[] data, String sourceName) throws ImageRejectedException {
    DecodedImage image;
    try {
      image = decoder.decode(data, sourceName);
    } catch (ImageDecodeException e) {
      throw new ImageRejectedException(reason(e.reason()), e.getMessage(), e);
    }
    return new ProcessedImage(
        preprocessor.preprocess(image),
        image.width(),
        image.height(),
        thumbnailer == null ? null : thumbnailer.thumbnail(image));
  }

  static FailureReason reason(ImageDecodeException.Reason reason) {
    return switch (reason) {
      case EMPTY -> FailureReason.EMPTY_IMAGE;
      case UNSUPPORTED_FORMAT -> FailureReason.UNSUPPORTED_FORMAT;
      case CORRUPT -> FailureReason.CORRUPT_IMAGE;
      case TOO_MANY_PIXELS -> FailureReason.TOO_MANY_PIXELS;
    };
  }
}
