package dev.clipsearch.indexer.image;

/**
 * The decode stage for one image: bytes in, the model's input tensor and a thumbnail out. Pure CPU
 * work with no shared state, called concurrently from the decode threads.
 */
@FunctionalInterface
public interface ImageProcessor {

  /**
   * Decodes, preprocesses and thumbnails one image.
   *
   * @param data the image file's bytes
   * @param sourceName the file or URL, for messages
   * @throws ImageRejectedException when the bytes are not a usable image (empty, not an image,
   *     truncated, too many pixels…)
   */
  ProcessedImage process(byte[] data, String sourceName) throws ImageRejectedException;
}
