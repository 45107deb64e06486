package dev.clipsearch.cli.demo;

/** No model could be found or fetched for the demo; the message says what was tried. */
public final class NoModelException extends Exception {

  NoModelException(String message) {
    super(message);
  }
}
