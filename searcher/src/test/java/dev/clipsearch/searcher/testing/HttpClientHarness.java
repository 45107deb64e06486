package dev.clipsearch.searcher.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** A plain {@code java.net.http} client for a server on the loopback interface. */
public class HttpClientHarness {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client;
  private final String base;

  public HttpClientHarness(String base) {
    this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    this.base = base;
  }

  /** A response with its body kept as bytes. */
  public record Reply(int status, Map<String, List<String>> headers, byte[] body) {

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (status " + status + "): " + text(), e);
      }
    }

    public String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().getFirst())
          .findFirst()
          .orElse(null);
    }

    /** The error body's {@code error} object; fails if the body is not in the error shape. */
    public JsonNode error() {
      JsonNode error = json().get("error");
      if (error == null) {
        throw new AssertionError("not an error body (status " + status + "): " + text());
      }
      return error;
    }

    @Override
    public String toString() {
      return status + " " + text();
    }
  }

  public String base() {
    return base;
  }

  public Reply get(String pathAndQuery, String... headers) {
    return send(request(pathAndQuery, headers).GET().build());
  }

  public Reply delete(String path, String... headers) {
    return send(request(path, headers).DELETE().build());
  }

  public Reply post(String path, String contentType, byte[] body, String... headers) {
    HttpRequest.Builder builder =
        request(path, headers).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      builder.header("Content-Type", contentType);
    }
    return send(builder.build());
  }

  public Reply put(String path, String contentType, byte[] body, String... headers) {
    return send(
        request(path, headers)
            .header("Content-Type", contentType)
            .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
            .build());
  }

  public Reply post(String path, Multipart body, String... headers) {
    return post(path, body.contentType(), body.bytes(), headers);
  }

  public Reply put(String path, Multipart body, String... headers) {
    return put(path, body.contentType(), body.bytes(), headers);
  }

  public Reply putJson(String path, Object body, String... headers) {
    try {
      return put(path, "application/json", JSON.writeValueAsBytes(body), headers);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  public Reply postJson(String path, Object body, String... headers) {
    try {
      return post(path, "application/json", JSON.writeValueAsBytes(body), headers);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  public Reply send(HttpRequest request) {
    try {
      HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      return new Reply(response.statusCode(), response.headers().map(), response.body());
    } catch (IOException e) {
      throw new AssertionError("request failed: " + request, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  public HttpRequest.Builder request(String pathAndQuery, String... headers) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(60));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]);
    }
    return builder;
  }

  /** A multipart/form-data body. */
  public static final class Multipart {
    private final String boundary =
        "----clipsearch" + ThreadLocalRandom.current().nextLong(1L << 50);
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public Multipart field(String name, String value) {
      write(
          "--"
              + boundary
              + "\r\nContent-Disposition: form-data; name=\""
              + name
              + "\"\r\n\r\n"
              + value
              + "\r\n");
      return this;
    }

    public Multipart file(String name, String filename, String contentType, byte[] content) {
      write(
          "--"
              + boundary
              + "\r\nContent-Disposition: form-data; name=\""
              + name
              + "\"; filename=\""
              + filename
              + "\"\r\nContent-Type: "
              + contentType
              + "\r\n\r\n");
      out.writeBytes(content);
      write("\r\n");
      return this;
    }

    public String contentType() {
      return "multipart/form-data; boundary=" + boundary;
    }

    public byte[] bytes() {
      ByteArrayOutputStream copy = new ByteArrayOutputStream();
      copy.writeBytes(out.toByteArray());
      copy.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
      return copy.toByteArray();
    }

    private void write(String s) {
      out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
  }
}
