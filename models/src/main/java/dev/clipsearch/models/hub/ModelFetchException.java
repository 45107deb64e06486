package dev.clipsearch.models.hub;

import java.io.IOException;

/**
 * A model download that failed, with a message meant for the user: it names the file, the host or
 * the directory involved, and what to do next when there is something to do.
 */
public final class ModelFetchException extends IOException {

  /** Why a fetch failed, for callers that react differently (exit codes, tests). */
  public enum Reason {
    /** The host could not be reached (refused, unknown, timed out) after every retry. */
    UNREACHABLE,
    /** The connection broke or stalled during a transfer, after every retry. */
    TRANSFER_FAILED,
    /** The file does not exist at that revision (HTTP 404). */
    NOT_FOUND,
    /** The hub refused access (HTTP 401/403): a token is missing, wrong, or lacks access. */
    ACCESS_DENIED,
    /** Any other HTTP answer that is not a success, after every retry for 5xx and 429. */
    HTTP_STATUS,
    /** The bytes do not match the expected SHA-256 or size; nothing was installed. */
    CORRUPT,
    /** Neither a pinned SHA-256 nor a digest reported by the hub is available for a file. */
    NO_CHECKSUM,
    /** The target directory exists and is not a model this fetch installed. */
    TARGET_EXISTS,
    /** Not enough free disk space for the files still to download. */
    NO_SPACE,
    /** The fetching thread was interrupted. */
    INTERRUPTED,
    /** A local file-system error (staging, install). */
    LOCAL_IO
  }

  private final Reason reason;

  public ModelFetchException(Reason reason, String message) {
    this(reason, message, null);
  }

  public ModelFetchException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
