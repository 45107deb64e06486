package dev.clipsearch.models.hub;

import dev.clipsearch.common.net.RetryPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how models are downloaded. Built once by the command-line layer (from {@code
 * HF_ENDPOINT} and {@code HF_TOKEN}) and passed to {@link ModelFetcher}.
 *
 * @param endpoint base URL of the Hugging Face Hub or a mirror of it; files are fetched from {@code
 *     <endpoint>/<repository>/resolve/<revision>/<path>}
 * @param token access token sent as {@code Authorization: Bearer} to the endpoint's host only
 *     (never to the CDN a download redirects to); empty for public models
 * @param connectTimeout bound on opening a connection
 * @param readTimeout bound on waiting for response headers, and on any stretch of a body during
 *     which no byte arrives
 * @param retry what to do after a transient failure
 */
public record HubConfig(
    URI endpoint,
    Optional<String> token,
    Duration connectTimeout,
    Duration readTimeout,
    RetryPolicy retry) {

  /** The public Hugging Face Hub. */
  public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co");

  public HubConfig {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(retry, "retry");
    String scheme = endpoint.getScheme();
    if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)
        || endpoint.getHost() == null) {
      throw new IllegalArgumentException(
          "the model hub endpoint must be an http(s) URL with a host, got '" + endpoint + "'");
    }
    String text = endpoint.toString();
    if (text.endsWith("/")) {
      endpoint = URI.create(text.replaceAll("/+$", ""));
    }
    token = token.map(String::strip).filter(t -> !t.isEmpty());
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout must be positive");
    }
    if (readTimeout.isNegative() || readTimeout.isZero()) {
      throw new IllegalArgumentException("readTimeout must be positive");
    }
  }

  /** The public Hub, no token, 10 s to connect, 30 s without data, {@link RetryPolicy#defaults}. */
  public static HubConfig defaults() {
    return new HubConfig(
        DEFAULT_ENDPOINT,
        Optional.empty(),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        RetryPolicy.defaults());
  }

  public HubConfig withEndpoint(URI newEndpoint) {
    return new HubConfig(newEndpoint, token, connectTimeout, readTimeout, retry);
  }

  public HubConfig withToken(Optional<String> newToken) {
    return new HubConfig(endpoint, newToken, connectTimeout, readTimeout, retry);
  }

  public HubConfig withTimeouts(Duration connect, Duration read) {
    return new HubConfig(endpoint, token, connect, read, retry);
  }

  public HubConfig withRetry(RetryPolicy newRetry) {
    return new HubConfig(endpoint, token, connectTimeout, readTimeout, newRetry);
  }

  /** Never prints the token itself. */
  @Override
  public String toString() {
    return "HubConfig[endpoint="
        + endpoint
        + ", token="
        + (token.isPresent() ? "(set)" : "(none)")
        + ", connectTimeout="
        + connectTimeout
        + ", readTimeout="
        + readTimeout
        + ", retry="
        + retry
        + "]";
  }
}
