package dev.clipsearch.models.cli;

import dev.clipsearch.common.cli.ClipsearchHome;
import dev.clipsearch.models.hub.HubConfig;
import dev.clipsearch.models.hub.ModelCache;
import dev.clipsearch.models.hub.ModelRegistry;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where models are cached and downloaded from, read once from the environment by the command-line
 * layer and passed down as values.
 *
 * <ul>
 *   <li>{@code CLIPSEARCH_HOME}: the cache root, as {@link ClipsearchHome} resolves it (default
 *       {@code $XDG_CACHE_HOME/clipsearch}, else {@code ~/.cache/clipsearch}).
 *   <li>{@code HF_ENDPOINT}: the Hugging Face Hub or a mirror; default {@code
 *       https://huggingface.co}.
 *   <li>{@code HF_TOKEN} (or the older {@code HUGGING_FACE_HUB_TOKEN}): an access token for gated
 *       or private repositories; none by default.
 * </ul>
 *
 * @param home the cache root
 * @param endpoint the hub's base URL
 * @param token the access token, if any
 */
public record ModelsConfig(Path home, URI endpoint, Optional<String> token) {

  public static final String ENDPOINT_VARIABLE = "HF_ENDPOINT";
  public static final String TOKEN_VARIABLE = "HF_TOKEN";
  static final String LEGACY_TOKEN_VARIABLE = "HUGGING_FACE_HUB_TOKEN";

  public ModelsConfig {
    Objects.requireNonNull(home, "home");
    Objects.requireNonNull(endpoint, "endpoint");
    token = token.map(String::strip).filter(t -> !t.isEmpty());
  }

  /**
   * Reads the variables above from {@code env}.
   *
   * @param env the process environment ({@code System.getenv()})
   * @param userHome the user's home directory ({@code user.home})
   * @throws IllegalArgumentException naming the variable when a value is not usable
   */
  public static ModelsConfig fromEnvironment(Map<String, String> env, Path userHome) {
    Path home = ClipsearchHome.resolve(env, userHome);
    URI endpoint = HubConfig.DEFAULT_ENDPOINT;
    String endpointValue = nonBlank(env.get(ENDPOINT_VARIABLE));
    if (endpointValue != null) {
      try {
        endpoint = new URI(endpointValue);
        HubConfig.defaults().withEndpoint(endpoint); // validates scheme and host
      } catch (URISyntaxException | IllegalArgumentException e) {
        throw new IllegalArgumentException(
            ENDPOINT_VARIABLE + "='" + endpointValue + "' is not an http(s) URL with a host", e);
      }
    }
    String token = nonBlank(env.get(TOKEN_VARIABLE));
    if (token == null) {
      token = nonBlank(env.get(LEGACY_TOKEN_VARIABLE));
    }
    return new ModelsConfig(home, endpoint, Optional.ofNullable(token));
  }

  /** The model cache under {@link #home()}. */
  public ModelCache cache(ModelRegistry registry) {
    return new ModelCache(home, registry);
  }

  /** Download settings: this endpoint and token, default timeouts and retries. */
  public HubConfig hubConfig() {
    return HubConfig.defaults().withEndpoint(endpoint).withToken(token);
  }

  private static String nonBlank(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  /** Never prints the token itself. */
  @Override
  public String toString() {
    return "ModelsConfig[home="
        + home
        + ", endpoint="
        + endpoint
        + ", token="
        + (token.isPresent() ? "(set)" : "(none)")
        + "]";
  }
}
