package dev.clipsearch.searcher.metrics;

import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;

/**
 * The server's Prometheus metrics, in a registry of its own (never the global one, so that two
 * servers in one JVM, as in tests, do not mix their counts). Thread-safe.
 *
 * <ul>
 *   <li>{@code clipsearch_http_requests_total{route,method,status}} and {@code
 *       clipsearch_http_request_duration_seconds{route,method}}: per route template
 *   <li>{@code clipsearch_encode_duration_seconds{input}}: model inference for a query, {@code
 *       input} = {@code text} or {@code image} (image decoding included)
 *   <li>{@code clipsearch_knn_duration_seconds{query}}: the vector search itself
 *   <li>{@code clipsearch_text_cache_total{result}}: text embedding cache hits and misses
 *   <li>{@code clipsearch_inference_rejected_total}: queries refused because the model's queue was
 *       full (answered 503)
 *   <li>gauges registered by the components that own the numbers: index size, queue depth
 * </ul>
 */
public final class ServerMetrics {

  private static final double[] LATENCY_BUCKETS = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
  };

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusProperties properties = PrometheusProperties.builder().build();
  private final Counter httpRequests;
  private final Histogram httpSeconds;
  private final Histogram encodeSeconds;
  private final Histogram knnSeconds;
  private final Counter textCache;
  private final Counter inferenceRejected;
  private final Map<String, AtomicReference<DoubleSupplier>> gauges = new ConcurrentHashMap<>();

  public ServerMetrics() {
    httpRequests =
        Counter.builder(properties)
            .name("clipsearch_http_requests_total")
            .help("HTTP requests by route template, method and status")
            .labelNames("route", "method", "status")
            .register(registry);
    httpSeconds =
        histogram("clipsearch_http_request_duration", "HTTP request latency", "route", "method");
    encodeSeconds =
        histogram(
            "clipsearch_encode_duration", "Query encoding latency (model inference)", "input");
    knnSeconds = histogram("clipsearch_knn_duration", "Vector (KNN) search latency", "query");
    textCache =
        Counter.builder(properties)
            .name("clipsearch_text_cache_total")
            .help("Text embedding cache lookups by result (hit or miss)")
            .labelNames("result")
            .register(registry);
    inferenceRejected =
        Counter.builder(properties)
            .name("clipsearch_inference_rejected_total")
            .help("Queries refused with 503 because the model's queue was full")
            .register(registry);
  }

  private Histogram histogram(String name, String help, String... labels) {
    return Histogram.builder(properties)
        .name(name + "_seconds")
        .unit(Unit.SECONDS)
        .help(help)
        .classicOnly()
        .classicUpperBounds(LATENCY_BUCKETS)
        .labelNames(labels)
        .register(registry);
  }

  /** Records one HTTP request; {@code route} is the route template, never the raw path. */
  public void recordRequest(String route, String method, int status, double seconds) {
    httpRequests.labelValues(route, method, Integer.toString(status)).inc();
    httpSeconds.labelValues(route, method).observe(seconds);
  }

  /** Records one query encoding; {@code input} is {@code text} or {@code image}. */
  public void recordEncode(String input, double seconds) {
    encodeSeconds.labelValues(input).observe(seconds);
  }

  /** Records one vector search; {@code query} is the kind of query (text, image, similar). */
  public void recordKnn(String query, double seconds) {
    knnSeconds.labelValues(query).observe(seconds);
  }

  /** Records one text cache lookup. */
  public void recordTextCache(boolean hit) {
    textCache.labelValues(hit ? "hit" : "miss").inc();
  }

  /** Records one query refused because the model's queue was full. */
  public void recordInferenceRejected() {
    inferenceRejected.inc();
  }

  /**
   * Registers a gauge read at scrape time. Registering a name again replaces what it reads: a
   * switch of index and model brings a new store and a new encoder under the same gauges.
   */
  public void gauge(String name, String help, DoubleSupplier value) {
    AtomicReference<DoubleSupplier> fresh = new AtomicReference<>(value);
    AtomicReference<DoubleSupplier> existing = gauges.putIfAbsent(name, fresh);
    if (existing != null) {
      existing.set(value);
      return;
    }
    GaugeWithCallback.builder(properties)
        .name(name)
        .help(help)
        .callback(callback -> callback.call(fresh.get().getAsDouble()))
        .register(registry);
  }

  /** The media type of {@link #writeTo}. */
  public String contentType() {
    return PrometheusTextFormatWriter.CONTENT_TYPE;
  }

  /** Writes every metric in the Prometheus text exposition format. */
  public void writeTo(OutputStream out) throws IOException {
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
  }
}
