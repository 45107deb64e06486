package dev.clipsearch.searcher.service;

/**
 * A switch of index and model that was not made; the previous index keeps serving. The message says
 * why and names the index or model at fault.
 */
public final class IndexSwitchException extends RuntimeException {

  /** Why a switch failed; each has a stable code clients may switch on. */
  public enum Reason {
    /** No index in the directory, not a clipsearch index, or locked by another process. */
    INDEX_UNUSABLE("index_unusable"),
    /** The index was built by another model than the one named. */
    MODEL_MISMATCH("model_mismatch"),
    /** The model is unknown or fails to load. */
    MODEL_UNUSABLE("model_unusable"),
    /** The new model and index opened but failed their warm-up queries. */
    WARMUP_FAILED("warmup_failed"),
    /** The server already serves this index. */
    ALREADY_SERVING("already_serving"),
    /** Another switch is running, or the server is stopping. */
    BUSY("switch_in_progress");

    private final String code;

    Reason(String code) {
      this.code = code;
    }

    /** The error code on the wire. */
    public String code() {
      return code;
    }
  }

  private final Reason reason;

  public IndexSwitchException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
