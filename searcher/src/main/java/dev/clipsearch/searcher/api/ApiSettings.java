package dev.clipsearch.searcher.api;

/**
 * The HTTP layer's own settings, a slice of the server's configuration.
 *
 * @param maxImageBytes largest accepted image upload, in bytes (larger: 413)
 * @param adminToken bearer token that admin routes require; {@code null} turns admin routes off
 *     (they answer 404 {@code admin_disabled})
 * @param maxLabels most labels accepted by one classification request
 * @param webRoot classpath folder of the static search page served at {@code /}, or {@code null}
 *     for none; ignored when the folder is not on the classpath
 */
public record ApiSettings(long maxImageBytes, String adminToken, int maxLabels, String webRoot) {

  /** 20 MiB: more than any product photo needs, small enough to hold a few at once. */
  public static final long DEFAULT_MAX_IMAGE_BYTES = 20L * 1024 * 1024;

  /** Labels per classification request. */
  public static final int DEFAULT_MAX_LABELS = 64;

  /** Where the web module's jar puts the search page. */
  public static final String DEFAULT_WEB_ROOT = "/web";

  public ApiSettings {
    if (maxImageBytes < 1) {
      throw new IllegalArgumentException("maxImageBytes must be positive, got " + maxImageBytes);
    }
    if (maxLabels < 1) {
      throw new IllegalArgumentException("maxLabels must be positive, got " + maxLabels);
    }
    if (adminToken != null && adminToken.isBlank()) {
      throw new IllegalArgumentException("adminToken must not be blank (use null for none)");
    }
  }

  /** Defaults, admin routes off. */
  public static ApiSettings defaults() {
    return new ApiSettings(DEFAULT_MAX_IMAGE_BYTES, null, DEFAULT_MAX_LABELS, DEFAULT_WEB_ROOT);
  }

  /** A copy with another admin token. */
  public ApiSettings withAdminToken(String token) {
    return new ApiSettings(maxImageBytes, token, maxLabels, webRoot);
  }

  /** A copy with another image size cap. */
  public ApiSettings withMaxImageBytes(long bytes) {
    return new ApiSettings(bytes, adminToken, maxLabels, webRoot);
  }

  /**
   * Largest accepted request body: an image in base64 inside JSON is 4/3 of its size, plus room for
   * the other fields.
   */
  public long maxBodyBytes() {
    return maxImageBytes / 3 * 4 + 1024 * 1024;
  }

  /** Whether admin routes are on. */
  public boolean adminEnabled() {
    return adminToken != null;
  }

  /** Never prints the token. */
  @Override
  public String toString() {
    return "ApiSettings[maxImageBytes="
        + maxImageBytes
        + ", admin="
        + (adminEnabled() ? "on (token set)" : "off")
        + ", maxLabels="
        + maxLabels
        + ", webRoot="
        + webRoot
        + "]";
  }
}
