package dev.clipsearch.searcher.bench;

import dev.clipsearch.models.image.ImageDecodeException;
import dev.clipsearch.models.image.ImageProcessor;
import dev.clipsearch.models.image.ProcessedImage;

/** For {@link HashingModel} runs: a "tensor" made from the bytes' hash; no decoding at all. */
final class BytesImageProcessor implements ImageProcessor {

  @Override
  public ProcessedImage process(byte[] data, String sourceName) throws ImageDecodeException {
    if (data.length == 0) {
      throw new ImageDecodeException(ImageDecodeException.Reason.EMPTY, sourceName, null);
    }
    return new ProcessedImage(new float[] {java.util.Arrays.hashCode(data)}, 1, 1, null);
  }
}
