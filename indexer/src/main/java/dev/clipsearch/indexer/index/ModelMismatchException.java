package dev.clipsearch.indexer.index;

/**
 * The index was built with one model and is being opened with another: vectors from different
 * models live in different spaces and cannot be mixed. The message names both models.
 */
public final class ModelMismatchException extends IndexOpenException {

  public ModelMismatchException(String message) {
    super(message);
  }
}
