package dev.clipsearch.sampledata.fetch;

import dev.clipsearch.sampledata.SampleDataException;
import java.nio.file.Path;

/**
 * An archive entry would land outside the folder it is extracted into (an absolute path, a {@code
 * ..} segment) or has a name that is not a plain relative path: the archive is refused.
 */
public final class UnsafeArchiveException extends SampleDataException {

  UnsafeArchiveException(Path archive, String entry, String why) {
    super("refusing " + archive + ": entry '" + entry + "' " + why);
  }
}
