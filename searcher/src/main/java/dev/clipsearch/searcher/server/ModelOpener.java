package dev.clipsearch.searcher.server;

import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.image.ImageProcessor;
import dev.clipsearch.searcher.service.IndexTarget;
import java.io.IOException;
import java.util.Objects;

/**
 * Loads the model an index target names, with the image decoding it needs: what the server calls at
 * start and at every switch of index and model. The command line resolves names through the model
 * cache and loads ONNX models; tests hand in fakes.
 */
@FunctionalInterface
public interface ModelOpener {

  /**
   * Loads the model of {@code target}; the caller owns (and closes) the returned model.
   *
   * @throws IOException when the index cannot be read (for example its thumbnail settings)
   * @throws dev.clipsearch.models.ModelLoadException when the model fails to load
   * @throws IllegalArgumentException when the model is unknown (the message says why)
   */
  Opened open(IndexTarget target) throws IOException;

  /**
   * A loaded model and its decode stages.
   *
   * @param model encodes queries and admin uploads
   * @param queryImages decodes query images (no thumbnails)
   * @param catalogImages decodes admin uploads (with thumbnails)
   */
  record Opened(ClipModel model, ImageProcessor queryImages, ImageProcessor catalogImages) {

    public Opened {
      Objects.requireNonNull(model, "model");
    }
  }
}
