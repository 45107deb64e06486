package dev.clipsearch.sampledata.fetch;

import dev.clipsearch.sampledata.SampleDataException;

/** A package could not be fetched from the npm registry; the message says why and what to do. */
public final class NpmFetchException extends SampleDataException {

  NpmFetchException(String message) {
    super(message);
  }

  NpmFetchException(String message, Throwable cause) {
    super(message, cause);
  }
}
