package dev.clipsearch.sampledata.fetch;

import dev.clipsearch.sampledata.SampleDataException;
import java.nio.file.Path;

/** A tarball's content does not match the integrity pinned for it: it is refused. */
public final class IntegrityException extends SampleDataException {

  private final Path file;

  IntegrityException(Path file, Integrity expected, Integrity actual) {
    super(
        "integrity check failed for "
            + file
            + ": expected "
            + expected
            + ", got "
            + actual
            + " (the file is corrupt or not the pinned package version)");
    this.file = file;
  }

  /** The refused file. */
  public Path file() {
    return file;
  }
}
