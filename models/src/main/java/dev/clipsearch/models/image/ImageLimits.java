package dev.clipsearch.models.image;

/**
 * What {@link ImageDecoder} accepts. The pixel limit is checked against the dimensions in the
 * image's header, before any pixel memory is allocated, so a small file that claims to be huge (a
 * decompression bomb) costs nothing.
 *
 * @param maxPixels largest width x height accepted
 */
public record ImageLimits(long maxPixels) {

  /** 64 megapixels: every camera and catalog photo fits, a 30000 x 30000 bomb does not. */
  public static final long DEFAULT_MAX_PIXELS = 64_000_000L;

  /** The default limits. */
  public static final ImageLimits DEFAULT = new ImageLimits(DEFAULT_MAX_PIXELS);

  public ImageLimits {
    if (maxPixels <= 0) {
      throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
    }
  }
}
