package dev.clipsearch.indexer.tag;

import java.nio.file.Path;

/** An attributes file that cannot be used; the message names the file and, when known, the line. */
public final class AttributeFileException extends Exception {

  AttributeFileException(String source, int line, String message) {
    super(source + ":" + line + ": " + message);
  }

  AttributeFileException(Path file, String message, Throwable cause) {
    super(file + ": " + message, cause);
  }
}
