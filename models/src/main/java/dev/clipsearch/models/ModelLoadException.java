package dev.clipsearch.models;

/** A model directory or file that cannot be loaded; the message names the file and the reason. */
public class ModelLoadException extends RuntimeException {

  public ModelLoadException(String message) {
    super(message);
  }

  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
