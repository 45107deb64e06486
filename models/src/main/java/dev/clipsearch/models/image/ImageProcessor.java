package dev.clipsearch.models.image;

/**
 * Bytes in, the model's input tensor (and a thumbnail, when asked for) out: the one decode stage
 * that the indexer's decode threads and the server's query path both call. {@link ImagePipeline} is
 * the implementation; tests substitute their own. Pure CPU work, called concurrently.
 */
@FunctionalInterface
public interface ImageProcessor {

  /**
   * Decodes, preprocesses and (optionally) thumbnails one image.
   *
   * @param data the image file's bytes
   * @param sourceName the file, URL or upload, for messages
   * @throws ImageDecodeException when the bytes are not a usable image (empty, not an image,
   *     truncated, too many pixels, too elongated to resize…), with the reason
   */
  ProcessedImage process(byte[] data, String sourceName) throws ImageDecodeException;
}
