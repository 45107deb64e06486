package dev.clipsearch.sampledata;

/**
 * Building the sample catalog failed: the message says what failed (a package, a file, an archive
 * entry) and, where there is one, what to do about it.
 */
public class SampleDataException extends RuntimeException {

  public SampleDataException(String message) {
    super(message);
  }

  public SampleDataException(String message, Throwable cause) {
    super(message, cause);
  }
}
