package dev.clipsearch.searcher.testing;

import dev.clipsearch.indexer.image.ImageProcessor;
import dev.clipsearch.indexer.image.ImageRejectedException;
import dev.clipsearch.indexer.image.ProcessedImage;
import dev.clipsearch.indexer.report.FailureReason;
import dev.clipsearch.models.image.ClipImagePreprocessor;
import dev.clipsearch.models.image.DecodedImage;
import dev.clipsearch.models.image.ImageDecodeException;
import dev.clipsearch.models.image.ImageDecoder;
import dev.clipsearch.models.image.ImageLimits;
import dev.clipsearch.models.image.PreprocessConfig;

/**
 * The models module's real decoder and CLIP preprocessing behind the indexer's decode-stage
 * interface, without thumbnails: what the server runs on query images.
 */
public final class DecoderImageProcessor implements ImageProcessor {

  private final ImageDecoder decoder;
  private final ClipImagePreprocessor preprocessor;

  public DecoderImageProcessor(PreprocessConfig config, long maxPixels) {
    this.decoder = new ImageDecoder(new ImageLimits(maxPixels));
    this.preprocessor = new ClipImagePreprocessor(config);
  }

  @Override
  public ProcessedImage process(byte[] data, String sourceName) throws ImageRejectedException {
    DecodedImage image;
    try {
      image = decoder.decode(data, sourceName);
    } catch (ImageDecodeException e) {
      FailureReason reason =
          switch (e.reason()) {
            case EMPTY -> FailureReason.EMPTY_IMAGE;
            case UNSUPPORTED_FORMAT -> FailureReason.UNSUPPORTED_FORMAT;
            case CORRUPT -> FailureReason.CORRUPT_IMAGE;
            case TOO_MANY_PIXELS -> FailureReason.TOO_MANY_PIXELS;
          };
      throw new ImageRejectedException(reason, e.getMessage(), e);
    }
    return new ProcessedImage(preprocessor.preprocess(image), image.width(), image.height(), null);
  }
}
