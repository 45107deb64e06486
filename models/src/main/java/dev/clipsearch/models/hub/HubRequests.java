package dev.clipsearch.models.hub;

import dev.clipsearch.models.hub.ModelFetchException.Reason;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;

/**
 * The HTTP requests of a download and the rules for following redirects by hand: the token goes to
 * the endpoint's origin only, a {@code Range} header resumes a part, and a redirect from https to
 * http (or to anything but http and https) is refused.
 */
final class HubRequests {

  private final HubConfig config;
  private final String userAgent;

  HubRequests(HubConfig config, String userAgent) {
    this.config = config;
    this.userAgent = userAgent;
  }

  /** A GET of {@code uri}, resuming at {@code rangeStart} when it is above 0. */
  HttpRequest request(URI uri, long rangeStart) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri)
            .GET()
            .timeout(config.readTimeout())
            .header("User-Agent", userAgent)
            .header("Accept-Encoding", "identity");
    if (rangeStart > 0) {
      builder.header("Range", "bytes=" + rangeStart + "-");
    }
    if (config.token().isPresent() && sameOrigin(uri, config.endpoint())) {
      builder.header("Authorization", "Bearer " + config.token().get());
    }
    return builder.build();
  }

  static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getHost().equalsIgnoreCase(b.getHost())
        && port(a) == port(b);
  }

  private static int port(URI uri) {
    if (uri.getPort() != -1) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  static URI redirectTarget(URI from, HttpHeaders headers, int status) throws ModelFetchException {
    String location =
        headers
            .firstValue("Location")
            .orElseThrow(
                () ->
                    new ModelFetchException(
                        Reason.HTTP_STATUS,
                        host(from) + " answered HTTP " + status + " without a Location header"));
    URI next;
    try {
      next = from.resolve(location);
    } catch (IllegalArgumentException e) {
      throw new ModelFetchException(
          Reason.HTTP_STATUS, host(from) + " redirected to an invalid URL: " + location, e);
    }
    if (next.getScheme() == null
        || !(next.getScheme().equalsIgnoreCase("https")
            || next.getScheme().equalsIgnoreCase("http"))
        || next.getHost() == null) {
      throw new ModelFetchException(
          Reason.HTTP_STATUS, host(from) + " redirected to an unsupported URL: " + location);
    }
    if ("https".equalsIgnoreCase(from.getScheme()) && "http".equalsIgnoreCase(next.getScheme())) {
      throw new ModelFetchException(
          Reason.HTTP_STATUS,
          host(from) + " redirected from https to plain http; refusing " + next);
    }
    return next;
  }

  /** {@code host} or {@code host:port}, the way a user would type it. */
  static String host(URI uri) {
    return uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
  }
}
