package dev.clipsearch.indexer.pipeline;

import dev.clipsearch.indexer.pipeline.ProductWork.ImageWork;
import dev.clipsearch.indexer.report.FailureReason;
import dev.clipsearch.indexer.report.ImageFailure;
import dev.clipsearch.indexer.report.ProductFailure;
import dev.clipsearch.models.image.ImageDecodeException;
import dev.clipsearch.models.image.ImageProcessor;
import dev.clipsearch.models.image.ProcessedImage;
import java.util.List;

/**
 * The decode stage: turns the fetched bytes of every image that needs it into the model's input
 * tensor (and a thumbnail) with an {@link ImageProcessor}, and skips a product none of whose images
 * could be used. Stateless; the decode threads share one.
 */
final class DecodeStage {

  private final ImageProcessor processor;
  private final RunCounters counters;

  DecodeStage(ImageProcessor processor, RunCounters counters) {
    this.processor = processor;
    this.counters = counters;
  }

  /** Decodes the product's images; false when it goes no further (no usable image). */
  boolean decode(ProductWork work) {
    for (ImageWork image : work.images) {
      if (image.needsDecode()) {
        decode(image);
      }
    }
    if (!work.hasUsableImage()) {
      List<ImageFailure> imageFailures = work.imageFailures();
      counters.fail(
          ProductFailure.skipped(
              work.line,
              work.product.id(),
              FailureReason.NO_USABLE_IMAGE,
              "none of its "
                  + imageFailures.size()
                  + " image(s) could be used (first: "
                  + imageFailures.get(0).reason().description()
                  + ")"
                  + work.keptNote(),
              imageFailures));
      return false;
    }
    return true;
  }

  /** The one call of the image processor: fills the image's pixels, or its failure. */
  private void decode(ImageWork image) {
    try {
      ProcessedImage processed = processor.process(image.bytes, image.ref);
      image.pixels = processed.pixels();
      image.width = processed.width();
      image.height = processed.height();
      image.thumbnail = processed.thumbnail();
    } catch (ImageDecodeException e) {
      image.fail(FailureReason.of(e.reason()), e.getMessage());
    } catch (RuntimeException e) {
      // Image decoders throw all sorts of runtime exceptions on damaged files.
      image.fail(FailureReason.CORRUPT_IMAGE, image.ref + ": decoder failed: " + e);
    } finally {
      image.bytes = null;
    }
  }
}
