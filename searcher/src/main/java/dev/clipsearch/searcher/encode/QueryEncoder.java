package dev.clipsearch.searcher.encode;

import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ModelSpec;
import dev.clipsearch.models.image.ImageDecodeException;
import dev.clipsearch.models.image.ImageProcessor;
import dev.clipsearch.models.image.ProcessedImage;
import dev.clipsearch.searcher.metrics.ServerMetrics;
import dev.clipsearch.searcher.service.InvalidImageException;
import dev.clipsearch.searcher.service.ServiceOverloadedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns queries into vectors with the model, through a bounded pool: a fixed number of inference
 * threads and a bounded queue in front of them. When both are full a query is refused at once
 * ({@link ServiceOverloadedException}, answered 503 with {@code Retry-After}) instead of queueing
 * without bound. Image decoding runs on the same threads, so the number of images held in memory at
 * once is bounded too.
 *
 * <p>Text embeddings are kept in a bounded LRU cache: a repeated query costs no inference.
 * Thread-safe. Closing stops the pool after the running and queued encodings finish; the model is
 * the caller's to close.
 */
public final class QueryEncoder implements AutoCloseable {

  private final ClipModel model;
  private final ImageProcessor queryImages;
  private final ImageProcessor catalogImages;
  private final EncoderSettings settings;
  private final ServerMetrics metrics;
  private final ThreadPoolExecutor pool;
  private final LruCache<String, float[]> textCache;

  /**
   * @param model encodes texts and images
   * @param queryImages decodes query images (no thumbnail needed)
   * @param catalogImages decodes images uploaded through the admin API (with thumbnails)
   * @param settings threads, queue, cache, limits
   * @param metrics where encode latencies and refusals are counted
   */
  public QueryEncoder(
      ClipModel model,
      ImageProcessor queryImages,
      ImageProcessor catalogImages,
      EncoderSettings settings,
      ServerMetrics metrics) {
    this.model = Objects.requireNonNull(model, "model");
    this.queryImages = Objects.requireNonNull(queryImages, "queryImages");
    this.catalogImages = Objects.requireNonNull(catalogImages, "catalogImages");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    BlockingQueue<Runnable> queue =
        settings.queueCapacity() == 0
            ? new SynchronousQueue<>()
            : new ArrayBlockingQueue<>(settings.queueCapacity());
    this.pool =
        new ThreadPoolExecutor(
            settings.threads(),
            settings.threads(),
            0,
            TimeUnit.MILLISECONDS,
            queue,
            threadFactory(),
            new ThreadPoolExecutor.AbortPolicy());
    this.pool.prestartAllCoreThreads();
    this.textCache = new LruCache<>(settings.textCacheEntries());
    publishGauges();
  }

  /**
   * Makes the metrics' inference gauges read this encoder's pool (done at construction; again when
   * a server goes back to this encoder after another's was tried).
   */
  public void publishGauges() {
    metrics.gauge(
        "clipsearch_inference_queue_depth",
        "Encodings waiting for an inference thread",
        () -> pool.getQueue().size());
    metrics.gauge(
        "clipsearch_inference_active", "Encodings running now", () -> pool.getActiveCount());
  }

  /** The model's facts. */
  public ModelSpec spec() {
    return model.spec();
  }

  /** Encodings waiting for a thread now. */
  public int queued() {
    return pool.getQueue().size();
  }

  /**
   * A query text as it is searched: stripped, and cut to the server's query length limit (never
   * inside a surrogate pair). Lexical searches use it too, without encoding.
   */
  public String prepareText(String query) {
    String text = query.strip();
    if (text.length() > settings.maxQueryChars()) {
      int end = settings.maxQueryChars();
      if (Character.isHighSurrogate(text.charAt(end - 1))) {
        end--;
      }
      text = text.substring(0, end);
    }
    return text;
  }

  /** The vector of a text query, from the cache when it was seen recently. */
  public TextEmbedding encodeText(String query) {
    String text = prepareText(query);
    boolean truncated = text.length() < query.strip().length() || !model.fitsContext(text);
    float[] cached = textCache.get(text);
    metrics.recordTextCache(cached != null);
    if (cached != null) {
      return new TextEmbedding(text, cached, truncated, true, 0);
    }
    String input = text;
    long start = System.nanoTime();
    float[] vector =
        run(
            () -> {
              long t = System.nanoTime();
              float[] v = model.encodeTexts(List.of(input))[0];
              metrics.recordEncode("text", seconds(t));
              return v;
            });
    textCache.put(text, vector);
    return new TextEmbedding(text, vector, truncated, false, seconds(start) * 1000);
  }

  /**
   * The vectors of several texts (zero-shot prompts), cached ones reused, the rest in one batch.
   */
  public List<float[]> encodeTexts(List<String> texts) {
    float[][] out = new float[texts.size()][];
    List<String> missing = new ArrayList<>();
    List<Integer> missingAt = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      out[i] = textCache.get(texts.get(i));
      metrics.recordTextCache(out[i] != null);
      if (out[i] == null) {
        missing.add(texts.get(i));
        missingAt.add(i);
      }
    }
    if (!missing.isEmpty()) {
      float[][] encoded =
          run(
              () -> {
                long t = System.nanoTime();
                float[][] v = model.encodeTexts(missing);
                metrics.recordEncode("text", seconds(t));
                return v;
              });
      for (int j = 0; j < encoded.length; j++) {
        out[missingAt.get(j)] = encoded[j];
        textCache.put(missing.get(j), encoded[j]);
      }
    }
    return List.of(out);
  }

  /**
   * Decodes and encodes a query image.
   *
   * @throws InvalidImageException when the bytes are not a usable image
   */
  public ImageEmbedding encodeQueryImage(byte[] bytes) {
    long start = System.nanoTime();
    return run(
        () -> {
          long t = System.nanoTime();
          ProcessedImage image = queryImages.process(bytes, "the uploaded image");
          float[] vector = model.encodeImages(List.of(image.pixels()))[0];
          metrics.recordEncode("image", seconds(t));
          return new ImageEmbedding(vector, image, seconds(start) * 1000);
        });
  }

  /**
   * Decodes (with thumbnails) and encodes the images of a product uploaded through the admin API,
   * in one batch.
   *
   * @throws InvalidImageException naming the image (by position) that is not usable
   */
  public List<ImageEmbedding> encodeCatalogImages(List<byte[]> images) {
    long start = System.nanoTime();
    return run(
        () -> {
          long t = System.nanoTime();
          List<ProcessedImage> processed = new ArrayList<>(images.size());
          List<float[]> tensors = new ArrayList<>(images.size());
          for (int i = 0; i < images.size(); i++) {
            ProcessedImage image = catalogImages.process(images.get(i), "image " + i);
            processed.add(image);
            tensors.add(image.pixels());
          }
          float[][] vectors = model.encodeImages(tensors);
          metrics.recordEncode("image", seconds(t));
          List<ImageEmbedding> out = new ArrayList<>(images.size());
          for (int i = 0; i < vectors.length; i++) {
            out.add(new ImageEmbedding(vectors[i], processed.get(i), seconds(start) * 1000));
          }
          return out;
        });
  }

  /**
   * Runs other work on the model (zero-shot detection) on the inference pool, under the same bound,
   * timeout and error mapping as an encoding: a full queue is {@link ServiceOverloadedException},
   * an {@link ImageDecodeException} thrown by the task is {@link InvalidImageException}. The task
   * must not call this encoder itself (it would wait for its own thread).
   */
  public <T> T runOnModel(Callable<T> task) {
    return run(task);
  }

  private <T> T run(Callable<T> task) {
    Future<T> future;
    try {
      future = pool.submit(task);
    } catch (RejectedExecutionException e) {
      metrics.recordInferenceRejected();
      throw new ServiceOverloadedException(
          pool.isShutdown()
              ? "the server is shutting down"
              : "the model is busy ("
                  + settings.threads()
                  + " encodings running, "
                  + settings.queueCapacity()
                  + " waiting); retry shortly",
          settings.retryAfter());
    }
    try {
      return future.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      metrics.recordInferenceRejected();
      throw new ServiceOverloadedException(
          "the model did not answer within " + settings.timeout().toMillis() + " ms",
          settings.retryAfter());
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the model", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ImageDecodeException rejected) {
        throw new InvalidImageException(rejected.reason(), rejected.getMessage(), rejected);
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException("encoding failed: " + cause, cause);
    }
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static ThreadFactory threadFactory() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "clipsearch-inference-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Stops taking work and waits (up to the encoding timeout) for what was accepted to finish. */
  @Override
  public void close() {
    pool.shutdown();
    try {
      if (!pool.awaitTermination(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
        pool.shutdownNow();
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
