package dev.clipsearch.indexer.crash;

import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ModelSpec;
import java.util.List;

/** A real model slowed down per image batch, so that a test can kill a run half way. */
final class ThrottledModel implements ClipModel {

  private final ClipModel delegate;
  private final long millisPerBatch;

  ThrottledModel(ClipModel delegate, long millisPerBatch) {
    this.delegate = delegate;
    this.millisPerBatch = millisPerBatch;
  }

  @Override
  public ModelSpec spec() {
    return delegate.spec();
  }

  @Override
  public float[][] encodeTexts(List<String> texts) {
    return delegate.encodeTexts(texts);
  }

  @Override
  public float[][] encodeImages(List<float[]> pixelTensors) {
    try {
      Thread.sleep(millisPerBatch);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    return delegate.encodeImages(pixelTensors);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
