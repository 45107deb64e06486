package dev.clipsearch.models.hub;

/**
 * A model name or directory that does not lead to a model on disk. The message says what was looked
 * at and, for a known model that is not downloaded yet, the command that downloads it.
 */
public final class ModelNotFoundException extends RuntimeException {

  private final String requested;

  public ModelNotFoundException(String requested, String message) {
    super(message);
    this.requested = requested;
  }

  /** The name or path that was asked for. */
  public String requested() {
    return requested;
  }
}
