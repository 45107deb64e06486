package dev.clipsearch.indexer.solr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * JSON over HTTP to a list of Solr nodes with failover: a request goes to the node that answered
 * last; when it cannot be connected to (refused, or no connection within the connect timeout) the
 * next node is tried, and the request fails with {@link SolrUnavailableException} only when none
 * can be reached. Reads ({@link #get}) also move on when the connection breaks or times out
 * mid-request (a node dying under them); requests that change something ({@link #action}, {@link
 * #post}) do not, since the first node may have done the work. A node that answered an error is
 * never retried elsewhere: the error is Solr's answer (e.g. a bad query).
 *
 * <p>Thread-safe: one {@link HttpClient} shared by all requests.
 */
final class SolrHttp implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SolrNodes nodes;
  private final HttpClient http;
  private final Duration requestTimeout;
  private final AtomicInteger preferred = new AtomicInteger();

  SolrHttp(SolrNodes nodes, Duration connectTimeout, Duration requestTimeout) {
    this.nodes = nodes;
    this.requestTimeout = requestTimeout;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(connectTimeout)
            .build();
  }

  SolrNodes nodes() {
    return nodes;
  }

  /** A read: GET {@code path} (relative to the node's base URL) with query parameters. */
  JsonNode get(String path, List<Map.Entry<String, String>> params) throws SolrException {
    return send(path, params, null, null, true, requestTimeout);
  }

  /** A GET that changes something (e.g. the Collections API's CREATE): not repeated elsewhere. */
  JsonNode action(String path, List<Map.Entry<String, String>> params) throws SolrException {
    return send(path, params, null, null, false, requestTimeout);
  }

  /** An {@link #action} that may take longer than the client's request timeout. */
  JsonNode action(String path, List<Map.Entry<String, String>> params, Duration timeout)
      throws SolrException {
    return send(path, params, null, null, false, timeout);
  }

  /**
   * A read whose parameters travel as a form body (a query vector of 512 floats does not fit in a
   * URL); fails over like {@link #get}.
   */
  JsonNode query(String path, List<Map.Entry<String, String>> params) throws SolrException {
    return send(
        path,
        List.of(),
        "application/x-www-form-urlencoded",
        encode(params).getBytes(StandardCharsets.UTF_8),
        true,
        requestTimeout);
  }

  /** POST a body of a content type to {@code path} with query parameters. */
  JsonNode post(
      String path, List<Map.Entry<String, String>> params, String contentType, byte[] body)
      throws SolrException {
    return send(path, params, contentType, body, false, requestTimeout);
  }

  private JsonNode send(
      String path,
      List<Map.Entry<String, String>> params,
      String contentType,
      byte[] body,
      boolean idempotent,
      Duration timeout)
      throws SolrException {
    List<URI> urls = nodes.urls();
    int start = preferred.get();
    List<String> failures = new ArrayList<>();
    IOException last = null;
    for (int attempt = 0; attempt < urls.size(); attempt++) {
      int index = (start + attempt) % urls.size();
      URI uri = URI.create(urls.get(index) + path + query(params));
      HttpRequest.Builder request =
          HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json");
      if (body == null) {
        request.GET();
      } else {
        request
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      }
      HttpResponse<byte[]> response;
      try {
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (ConnectException | HttpConnectTimeoutException e) {
        failures.add(urls.get(index) + " (" + describe(e) + ")");
        last = e;
        continue;
      } catch (IOException e) {
        if (idempotent) {
          failures.add(urls.get(index) + " (" + describe(e) + ")");
          last = e;
          continue;
        }
        throw new SolrException(
            "request to Solr failed: " + method(body) + " " + uri + ": " + describe(e), 0, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SolrException("interrupted while waiting for Solr: " + uri, 0, e);
      }
      preferred.set(index);
      return parse(method(body), uri, response);
    }
    throw new SolrUnavailableException(
        "no Solr node answered: " + String.join(", ", failures), last);
  }

  private static JsonNode parse(String method, URI uri, HttpResponse<byte[]> response)
      throws SolrException {
    JsonNode json;
    try {
      json = JSON.readTree(response.body());
    } catch (IOException e) {
      json = null;
    }
    int status = response.statusCode();
    if (json == null || !json.isObject()) {
      String text = new String(response.body(), StandardCharsets.UTF_8).strip();
      throw new SolrException(
          method
              + " "
              + uri
              + " answered HTTP "
              + status
              + " without JSON"
              + (status == 404
                  ? " (is this a Solr node's base URL, e.g. http://host:8983/solr?)"
                  : "")
              + ": "
              + abbreviate(text),
          status);
    }
    String error = errorMessage(json);
    if (status >= 300 || error != null) {
      throw new SolrException(
          "Solr refused "
              + method
              + " "
              + uri
              + " (HTTP "
              + status
              + "): "
              + (error != null ? error : abbreviate(json.toString())),
          status);
    }
    return json;
  }

  /** Solr's error message: {@code error.msg}, or the Collections API's {@code failure} map. */
  private static String errorMessage(JsonNode json) {
    JsonNode error = json.path("error");
    if (error.isObject()) {
      return error.path("msg").asText(error.toString());
    }
    JsonNode failure = json.path("failure");
    if (failure.isObject() && !failure.isEmpty()) {
      return failure.toString();
    }
    JsonNode exception = json.path("exception");
    if (exception.isObject()) {
      return exception.path("msg").asText(exception.toString());
    }
    return null;
  }

  private static String query(List<Map.Entry<String, String>> params) {
    return params.isEmpty() ? "" : "?" + encode(params);
  }

  private static String encode(List<Map.Entry<String, String>> params) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> p : params) {
      if (!sb.isEmpty()) {
        sb.append('&');
      }
      sb.append(URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
    }
    return sb.toString();
  }

  private static String method(byte[] body) {
    return body == null ? "GET" : "POST";
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return e instanceof ConnectException ? "connection refused" : e.getClass().getSimpleName();
    }
    return message;
  }

  private static String abbreviate(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "...";
  }

  @Override
  public void close() {
    http.close();
  }
}
