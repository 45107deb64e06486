package dev.clipsearch.searcher.server;

import dev.clipsearch.indexer.store.SearchStore;
import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.detect.ClipRegionDetector;
import dev.clipsearch.models.detect.Detector;
import dev.clipsearch.models.image.ImageDecoder;
import dev.clipsearch.models.image.ImageLimits;
import dev.clipsearch.searcher.detect.ModelDetectionService;
import dev.clipsearch.searcher.encode.QueryEncoder;
import dev.clipsearch.searcher.metrics.ServerMetrics;
import dev.clipsearch.searcher.search.StoreCatalogAdmin;
import dev.clipsearch.searcher.search.StoreSearchService;
import dev.clipsearch.searcher.service.CatalogAdmin;
import dev.clipsearch.searcher.service.DetectionService;
import dev.clipsearch.searcher.service.ImageSearch;
import dev.clipsearch.searcher.service.IndexTarget;
import dev.clipsearch.searcher.service.SearchMode;
import dev.clipsearch.searcher.service.SearchOptions;
import dev.clipsearch.searcher.service.SearchService;
import dev.clipsearch.searcher.service.TextSearch;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One immutable serving state: an index, the model that built it, and the encoder, service,
 * detection and admin over them (detection by CLIP regions over this generation's model, or by a
 * detector shared across generations). The server serves one generation at a time and replaces it
 * whole on a switch.
 *
 * <p>Reference counted: the server holds one reference while the generation is current, and every
 * request holds one from its start to its end. {@link #retire()} drops the server's; the last
 * release closes the encoder, the store, its own detector and the model on a background thread, so
 * nothing is closed under a request and no request waits for a close.
 */
final class Generation {

  private static final Logger LOG = LoggerFactory.getLogger(Generation.class);

  /** Text queries run through a new generation before it serves. */
  private static final List<String> WARMUP_TEXTS = List.of("a photo of a product", "red shoes");

  private final long number;
  private final IndexTarget target;
  private final Path directory;
  private final ClipModel model;
  private final SearchStore store;
  private final QueryEncoder encoder;
  private final StoreSearchService service;
  private final StoreCatalogAdmin admin;
  private final Detector sharedDetector;
  private final ImageDecoder detectDecoder;
  private Detector ownDetector; // guarded by this
  private DetectionService detection; // guarded by this
  private final AtomicInteger references = new AtomicInteger(1);
  private final CompletableFuture<Void> closed = new CompletableFuture<>();

  private Generation(
      long number,
      IndexTarget target,
      Path directory,
      ClipModel model,
      SearchStore store,
      QueryEncoder encoder,
      StoreSearchService service,
      StoreCatalogAdmin admin,
      Detector sharedDetector,
      ImageDecoder detectDecoder) {
    this.number = number;
    this.target = target;
    this.directory = directory;
    this.model = model;
    this.store = store;
    this.encoder = encoder;
    this.service = service;
    this.admin = admin;
    this.sharedDetector = sharedDetector;
    this.detectDecoder = detectDecoder;
  }

  /**
   * Opens the index of {@code target} with an already loaded model (which the generation then owns,
   * on success and on failure alike). Detection runs {@code sharedDetector} (not closed here), or a
   * CLIP-region detector over this model if null.
   *
   * @throws dev.clipsearch.indexer.index.ModelMismatchException when another model built the index
   * @throws dev.clipsearch.indexer.index.IndexOpenException when there is no usable index
   */
  static Generation open(
      long number,
      IndexTarget target,
      ModelOpener.Opened opened,
      ServerConfig config,
      ServerMetrics metrics,
      Detector sharedDetector,
      StoreOpener stores)
      throws IOException {
    ClipModel model = opened.model();
    SearchStore store;
    try {
      store = stores.open(target, model.spec(), config);
    } catch (IOException | RuntimeException e) {
      model.close();
      throw e;
    }
    QueryEncoder encoder = null;
    try {
      encoder =
          new QueryEncoder(
              model, opened.queryImages(), opened.catalogImages(), config.encoder(), metrics);
      StoreSearchService service = new StoreSearchService(store, encoder, config.search(), metrics);
      StoreCatalogAdmin admin = store.writable() ? new StoreCatalogAdmin(store, encoder) : null;
      return new Generation(
          number,
          target,
          realPath(target.indexDir()),
          model,
          store,
          encoder,
          service,
          admin,
          sharedDetector,
          new ImageDecoder(new ImageLimits(config.maxImagePixels())));
    } catch (RuntimeException e) {
      if (encoder != null) {
        encoder.close();
      }
      store.close();
      model.close();
      throw e;
    }
  }

  long number() {
    return number;
  }

  IndexTarget target() {
    return target;
  }

  /**
   * The index directory as it was when opened, symbolic links resolved (a link given as the index
   * may point elsewhere later).
   */
  Path directory() {
    return directory;
  }

  /** {@code dir} with symbolic links resolved, or absolute and normalized if it does not exist. */
  static Path realPath(Path dir) {
    try {
      return dir.toRealPath();
    } catch (IOException e) {
      return dir.toAbsolutePath().normalize();
    }
  }

  String modelId() {
    return model.id();
  }

  SearchStore store() {
    return store;
  }

  QueryEncoder encoder() {
    return encoder;
  }

  SearchService service() {
    return service;
  }

  /**
   * Object detection on this generation's model and index (crops search this index): the shared
   * detector, or CLIP regions over this generation's model, built on first use (the warm-up, or the
   * server's start) because building it encodes the background prompts.
   */
  synchronized DetectionService detection() {
    if (detection == null) {
      Detector detector = sharedDetector;
      if (detector == null) {
        ownDetector = new ClipRegionDetector(model, ClipRegionDetector.Config.defaults());
        detector = ownDetector;
      }
      detection = new ModelDetectionService(detector, detectDecoder, encoder, service);
    }
    return detection;
  }

  /** The admin writes, or null when the store is read-only. */
  CatalogAdmin admin() {
    return admin;
  }

  /**
   * Runs a few queries through the encoder and the store (text, hybrid and image) and builds the
   * detection, so that the first shoppers' queries do not pay for the model's and the index's first
   * use.
   *
   * @return the number of queries run
   * @throws RuntimeException whatever a query threw: the generation is not fit to serve
   */
  int warmUp() {
    int queries = 0;
    for (String text : WARMUP_TEXTS) {
      service.search(new TextSearch(text, SearchMode.HYBRID, SearchOptions.firstPage(10)));
      queries++;
    }
    service.searchByImage(new ImageSearch(warmupImage(), SearchOptions.firstPage(10)));
    queries++;
    service.status();
    detection(); // builds the CLIP-region detector: its background prompts go through the model
    return queries;
  }

  /** A small grey PNG, decoded like any uploaded query image. */
  private static byte[] warmupImage() {
    BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        image.setRGB(x, y, 0x808080 + (x << 16) + y);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the warm-up image", e);
    }
    return out.toByteArray();
  }

  /** Takes a reference for one request; false once the generation is closing. */
  boolean tryAcquire() {
    int n;
    do {
      n = references.get();
      if (n == 0) {
        return false;
      }
    } while (!references.compareAndSet(n, n + 1));
    return true;
  }

  /** Ends one request's use; the last one closes a retired generation. */
  void release() {
    if (references.decrementAndGet() == 0) {
      Thread.ofVirtual().name("clipsearch-close-generation-" + number).start(this::closeNow);
    }
  }

  /** Drops the server's reference: the generation closes when its last request ends. */
  void retire() {
    release();
  }

  /** Completes when the generation's store, encoder, own detector and model are closed. */
  CompletableFuture<Void> closed() {
    return closed;
  }

  private void closeNow() {
    try {
      encoder.close();
      synchronized (this) {
        if (ownDetector != null) {
          ownDetector.close();
        }
      }
      try {
        store.close();
      } catch (IOException e) {
        LOG.warn("closing the store {} failed", store.location(), e);
      }
      model.close();
      LOG.info("closed generation {} ({}, model '{}')", number, store.location(), model.id());
    } catch (RuntimeException e) {
      LOG.warn("closing generation {} failed", number, e);
    } finally {
      closed.complete(null);
    }
  }
}
