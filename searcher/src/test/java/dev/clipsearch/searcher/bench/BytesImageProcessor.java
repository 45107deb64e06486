package dev.clipsearch.searcher.bench;

import dev.clipsearch.indexer.image.ImageProcessor;
import dev.clipsearch.indexer.image.ImageRejectedException;
import dev.clipsearch.indexer.image.ProcessedImage;
import dev.clipsearch.indexer.report.FailureReason;

/** For {@link HashingModel} runs: a "tensor" made from the bytes' hash; no decoding at all. */
final class BytesImageProcessor implements ImageProcessor {

  @Override
  public ProcessedImage process(byte[] data, String sourceName) throws ImageRejectedException {
    if (data.length == 0) {
      throw new ImageRejectedException(FailureReason.EMPTY_IMAGE, sourceName + " is empty", null);
    }
    return new ProcessedImage(new float[] {java.util.Arrays.hashCode(data)}, 1, 1, null);
  }
}
