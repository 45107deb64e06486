package dev.clipsearch.searcher.server;

import dev.clipsearch.searcher.api.ApiSettings;
import dev.clipsearch.searcher.encode.EncoderSettings;
import dev.clipsearch.searcher.search.SearchSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything {@code clipsearch serve} was asked to do, built once by the command line and logged at
 * start (the admin token masked). Nothing below it reads the environment or system properties.
 *
 * @param indexDir the index to serve
 * @param model the model directory or name, as given
 * @param host address to listen on
 * @param port port to listen on (0: any free port)
 * @param device where the model runs ({@code auto}, {@code cpu}, {@code cuda[:N]})
 * @param api HTTP limits and the admin token
 * @param encoder inference pool, queue and text cache
 * @param search ranking, facets, refresh and originals
 * @param maxImagePixels uploads whose header declares more pixels are refused before decoding
 * @param stopTimeout how long shutdown waits for in-flight requests
 */
public record ServerConfig(
    Path indexDir,
    String model,
    String host,
    int port,
    String device,
    ApiSettings api,
    EncoderSettings encoder,
    SearchSettings search,
    long maxImagePixels,
    Duration stopTimeout) {

  public ServerConfig {
    Objects.requireNonNull(indexDir, "indexDir");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(api, "api");
    Objects.requireNonNull(encoder, "encoder");
    Objects.requireNonNull(search, "search");
    Objects.requireNonNull(stopTimeout, "stopTimeout");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be in 0..65535, got " + port);
    }
    if (maxImagePixels < 1) {
      throw new IllegalArgumentException("maxImagePixels must be positive");
    }
  }

  /** Whether admin routes are on (and the index is opened for writing). */
  public boolean adminEnabled() {
    return api.adminEnabled();
  }
}
