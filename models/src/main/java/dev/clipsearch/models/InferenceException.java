package dev.clipsearch.models;

/**
 * A model that loaded could not run on a batch (for example GPU memory exhausted); the message
 * names the model file and the batch size.
 */
public class InferenceException extends RuntimeException {

  public InferenceException(String message, Throwable cause) {
    super(message, cause);
  }
}
