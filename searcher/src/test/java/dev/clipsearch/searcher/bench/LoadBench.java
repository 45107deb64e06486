package dev.clipsearch.searcher.bench;

import dev.clipsearch.common.catalog.Product;
import dev.clipsearch.common.catalog.ProductJson;
import dev.clipsearch.indexer.index.CatalogIndex;
import dev.clipsearch.indexer.index.IndexSettings;
import dev.clipsearch.indexer.store.IndexedImage;
import dev.clipsearch.indexer.store.IndexedProduct;
import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ClipModels;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.ModelSpec;
import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.image.ClipImagePreprocessor;
import dev.clipsearch.models.image.ImageDecoder;
import dev.clipsearch.models.image.ImageLimits;
import dev.clipsearch.models.image.ImagePipeline;
import dev.clipsearch.models.image.ImageProcessor;
import dev.clipsearch.models.image.PreprocessConfig;
import dev.clipsearch.searcher.api.ApiSettings;
import dev.clipsearch.searcher.encode.EncoderSettings;
import dev.clipsearch.searcher.search.SearchSettings;
import dev.clipsearch.searcher.server.SearchServer;
import dev.clipsearch.searcher.server.ServerConfig;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;

/**
 * A load generator: starts the server in this JVM on a loopback port over a generated index of
 * {@code n} products (seeded random unit vectors of the model's dimension; brands, categories and
 * prices for filters), then, for each query type and concurrency level, runs that many closed-loop
 * HTTP clients for a fixed time and prints p50/p99 latency and throughput. Loopback only, bounded
 * in time.
 *
 * <p>Without {@code --model}, queries are "encoded" by {@link HashingModel} (free): the numbers are
 * those of the server and the index. With {@code --model DIR}, a real model encodes text and image
 * queries (decoded by the real decoder), so the numbers include inference; the index's vectors are
 * random all the same. See {@code searcher/bench/load-bench.sh}.
 *
 * <p>{@code --clusters C} draws the index's vectors around C seeded random centres (as {@code
 * hnsw-bench.sh --clusters} does; real embeddings are clustered) and makes the hashing stand-in's
 * queries land near the same centres; without it (or with 0) both are uniform on the sphere, the
 * worst case for a graph search.
 *
 * <pre>
 * LoadBench --work DIR [--n 100000] [--dim 512] [--concurrency 1,4,16] [--seconds 10]
 *     [--types text,hybrid,filtered,image,similar] [--threads 2] [--model DIR [--device cpu]
 *     [--intra-op-threads 1]] [--clusters 0] [--build-only true] [--port-file FILE]
 *     [--service-queries N]
 * </pre>
 */
public final class LoadBench {

  static final List<String> WORDS =
      List.of(
          "red",
          "blue",
          "black",
          "white",
          "green",
          "leather",
          "cotton",
          "wool",
          "running",
          "shoe",
          "boot",
          "dress",
          "shirt",
          "jacket",
          "bag",
          "watch",
          "mug",
          "lamp",
          "chair",
          "table",
          "kids",
          "mens",
          "womens",
          "summer",
          "winter",
          "waterproof",
          "vintage",
          "classic",
          "slim",
          "large",
          "small",
          "gold",
          "silver",
          "wooden",
          "ceramic",
          "steel",
          "bottle",
          "hat",
          "scarf",
          "sneaker");

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = BenchArgs.parse(args);
    Path work = Path.of(BenchArgs.required(opts, "work"));
    int n = Integer.parseInt(opts.getOrDefault("n", "100000"));
    int dim = Integer.parseInt(opts.getOrDefault("dim", "512"));
    int seconds = Integer.parseInt(opts.getOrDefault("seconds", "10"));
    int threads = Integer.parseInt(opts.getOrDefault("threads", "2"));
    int[] levels =
        Arrays.stream(opts.getOrDefault("concurrency", "1,4,16").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    List<String> types =
        List.of(opts.getOrDefault("types", "text,hybrid,filtered,image,similar").split(","));

    Bench bench = Bench.open(opts, work, n, dim, threads);
    if (Boolean.parseBoolean(opts.getOrDefault("build-only", "false"))) {
      bench.model().close();
      return;
    }
    if (opts.containsKey("port-file")) {
      serve(bench, Path.of(opts.get("port-file")));
      return;
    }
    if (opts.containsKey("service-queries")) {
      serviceCpu(bench, Integer.parseInt(opts.get("service-queries")));
      return;
    }
    ModelSpec spec = bench.model().spec();
    System.out.printf(
        Locale.ROOT,
        "load: %d products x %d dims, %s model, %d inference threads, %d cores shared by server and"
            + " clients, %d s per cell%n",
        n,
        dim,
        bench.model() instanceof HashingModel ? "hashing (free)" : spec.id(),
        threads,
        Runtime.getRuntime().availableProcessors(),
        seconds);
    try (SearchServer server = bench.start()) {
      String base = "http://127.0.0.1:" + server.port();
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      byte[][] photo = new byte[256][]; // distinct images, so no graph walk is cache-warm
      for (int i = 0; i < photo.length; i++) {
        photo[i] = jpeg(320, 240, i);
      }
      // Warm-up: JIT, page cache, connection pool.
      for (String type : types) {
        runCell(client, base, type, 4, 2, n, photo);
      }
      System.out.printf(
          Locale.ROOT,
          "%-9s %6s %9s %7s %10s %9s %9s%n",
          "query",
          "conc",
          "requests",
          "errors",
          "req/s",
          "p50 ms",
          "p99 ms");
      for (String type : types) {
        for (int c : levels) {
          Cell cell = runCell(client, base, type, c, seconds, n, photo);
          System.out.printf(
              Locale.ROOT,
              "%-9s %6d %9d %7d %10.1f %9.2f %9.2f%n",
              type,
              c,
              cell.count(),
              cell.errors(),
              cell.count() / cell.seconds(),
              cell.percentile(0.50),
              cell.percentile(0.99));
        }
      }
    }
  }

  /** The model, decoder and built index a benchmark serves, from the shared options. */
  record Bench(ClipModel model, ImageProcessor images, Path indexDir, int threads) {

    static Bench open(Map<String, String> opts, Path work, int n, int dim, int threads)
        throws IOException {
      int clusters = Integer.parseInt(opts.getOrDefault("clusters", "0"));
      ClipModel model;
      ImageProcessor images;
      if (opts.containsKey("model")) {
        model =
            ClipModels.load(
                Path.of(opts.get("model")),
                RuntimeOptions.defaults()
                    .withDevice(Device.parse(opts.getOrDefault("device", "cpu")))
                    .withIntraOpThreads(
                        Integer.parseInt(opts.getOrDefault("intra-op-threads", "1"))));
        images =
            new ImagePipeline(
                new ImageDecoder(ImageLimits.DEFAULT),
                new ClipImagePreprocessor(model.spec().preprocess()));
      } else {
        model =
            new HashingModel(
                new ModelSpec("bench-random-" + dim, dim, 77, PreprocessConfig.CLIP, 100f),
                clusters);
        images = new BytesImageProcessor();
      }
      ModelSpec spec = model.spec();
      Path indexDir =
          work.resolve(
              "load-n"
                  + n
                  + "-"
                  + spec.id().replaceAll("[^A-Za-z0-9]+", "_")
                  + "-d"
                  + spec.dimension()
                  + (clusters == 0 ? "" : "-c" + clusters));
      if (!Files.exists(indexDir.resolve("bench-built"))) {
        if (Files.exists(indexDir)) {
          throw new IllegalStateException(indexDir + " holds an unfinished build: delete it");
        }
        build(indexDir, spec, n, clusters);
        Files.writeString(indexDir.resolve("bench-built"), "ok\n");
      }
      return new Bench(model, images, indexDir, threads);
    }

    /** Starts the server on a free loopback port; closing it closes the model too. */
    SearchServer start() throws IOException {
      ServerConfig config =
          new ServerConfig(
              indexDir,
              model.spec().id(),
              "127.0.0.1",
              0,
              "cpu",
              ApiSettings.defaults(),
              EncoderSettings.defaults(threads),
              SearchSettings.defaults(),
              64_000_000,
              Duration.ofSeconds(30));
      return SearchServer.start(config, model, images, images);
    }
  }

  /**
   * Serves until standard input closes (or the process is stopped), after writing the port and this
   * process's id to {@code portFile}: the server side of {@code load-bench.sh --open-loop}, so that
   * generator and server are separate processes whose CPU time can be told apart.
   */
  private static void serve(Bench bench, Path portFile) throws IOException {
    try (SearchServer server = bench.start()) {
      Path partial = portFile.resolveSibling(portFile.getFileName() + ".tmp");
      Files.writeString(partial, server.port() + " " + ProcessHandle.current().pid() + "\n");
      Files.move(partial, portFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      while (System.in.read() >= 0) {
        // a closed standard input ends the server
      }
    }
  }

  /**
   * The service's own cost, without HTTP: {@code queries} text searches (vector mode, the default
   * page of 24) called in this thread on the started server's {@code SearchService}, with and
   * without facets, taking turns over 5 rounds after 2 warm-up rounds; prints the thread's CPU
   * microseconds per search (median round and range). Subtracted from the server's CPU per answered
   * request of the open-loop run, it leaves what HTTP, JSON and the threads cost.
   */
  private static void serviceCpu(Bench bench, int queries) throws IOException {
    java.lang.management.ThreadMXBean cpu =
        java.lang.management.ManagementFactory.getThreadMXBean();
    try (SearchServer server = bench.start()) {
      var service = server.service();
      var with = dev.clipsearch.searcher.service.SearchOptions.firstPage(24);
      var without = with.withoutFacets();
      List<List<Double>> rounds = List.of(new ArrayList<>(), new ArrayList<>());
      for (int round = 0; round < 7; round++) {
        for (int variant = 0; variant < 2; variant++) {
          SplittableRandom random = new SplittableRandom(round);
          long start = cpu.getCurrentThreadCpuTime();
          for (int i = 0; i < queries; i++) {
            String q =
                WORDS.get(random.nextInt(WORDS.size()))
                    + " "
                    + WORDS.get(random.nextInt(WORDS.size()))
                    + " "
                    + WORDS.get(random.nextInt(WORDS.size()));
            service.search(
                new dev.clipsearch.searcher.service.TextSearch(
                    q,
                    dev.clipsearch.searcher.service.SearchMode.VECTOR,
                    variant == 0 ? with : without));
          }
          if (round >= 2) {
            rounds.get(variant).add((cpu.getCurrentThreadCpuTime() - start) / 1e3 / queries);
          }
        }
      }
      for (int variant = 0; variant < 2; variant++) {
        List<Double> r = rounds.get(variant).stream().sorted().toList();
        System.out.printf(
            Locale.ROOT,
            "service text search %s facets: %.0f us CPU per search (rounds %.0f-%.0f), load"
                + " average %s%n",
            variant == 0 ? "with" : "without",
            r.get(r.size() / 2),
            r.getFirst(),
            r.getLast(),
            Files.readString(Path.of("/proc/loadavg")).strip());
      }
    }
  }

  record Cell(long count, long errors, double seconds, double[] sortedMillis) {
    double percentile(double p) {
      if (sortedMillis.length == 0) {
        return Double.NaN;
      }
      return sortedMillis[
          Math.min(sortedMillis.length - 1, (int) Math.ceil(p * sortedMillis.length) - 1)];
    }
  }

  private static Cell runCell(
      HttpClient client,
      String base,
      String type,
      int concurrency,
      int seconds,
      int n,
      byte[][] photo)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    AtomicLong errors = new AtomicLong();
    List<Future<List<Double>>> tasks = new ArrayList<>();
    long start = System.nanoTime();
    for (int c = 0; c < concurrency; c++) {
      SplittableRandom random = new SplittableRandom(31L * c + type.hashCode());
      tasks.add(
          pool.submit(
              () -> {
                List<Double> millis = new ArrayList<>();
                while (System.nanoTime() < deadline) {
                  HttpRequest request = request(base, type, random, n, photo);
                  long s = System.nanoTime();
                  HttpResponse<byte[]> response =
                      client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                  millis.add((System.nanoTime() - s) / 1e6);
                  if (response.statusCode() != 200) {
                    errors.incrementAndGet();
                  }
                }
                return millis;
              }));
    }
    List<Double> all = new ArrayList<>();
    for (Future<List<Double>> f : tasks) {
      // Each client stops at the deadline; a request in flight then has its own 60 s timeout.
      all.addAll(f.get(seconds + 120L, TimeUnit.SECONDS));
    }
    pool.shutdown();
    double elapsed = (System.nanoTime() - start) / 1e9;
    double[] sorted = all.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return new Cell(sorted.length, errors.get(), elapsed, sorted);
  }

  static HttpRequest request(
      String base, String type, SplittableRandom random, int n, byte[][] photo) {
    String path = path(type, random, n);
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    if (type.equals("image")) {
      byte[] body = photo[random.nextInt(photo.length)];
      return builder
          .header("Content-Type", "image/jpeg")
          .POST(HttpRequest.BodyPublishers.ofByteArray(body))
          .build();
    }
    return builder.GET().build();
  }

  /** The path and query of a request of {@code type}, drawn from {@code random}. */
  static String path(String type, SplittableRandom random, int n) {
    String q =
        WORDS.get(random.nextInt(WORDS.size()))
            + "+"
            + WORDS.get(random.nextInt(WORDS.size()))
            + "+"
            + WORDS.get(random.nextInt(WORDS.size()));
    return switch (type) {
      case "text" -> "/api/search?mode=vector&q=" + q;
      case "text-nofacets" -> "/api/search?mode=vector&facets=false&q=" + q;
      case "hybrid" -> "/api/search?q=" + q;
      case "filtered" ->
          "/api/search?mode=vector&q=" + q + "&brand=brand" + random.nextInt(50) + "&price_max=100";
      case "similar" -> "/api/products/p" + random.nextInt(n) + "/similar";
      case "image" -> "/api/search/image";
      default -> throw new IllegalArgumentException("unknown query type " + type);
    };
  }

  private static byte[] jpeg(int width, int height, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, random.nextInt(1 << 24));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "jpg", out);
    return out.toByteArray();
  }

  private static void build(Path dir, ModelSpec spec, int n, int clusters) throws IOException {
    long start = System.nanoTime();
    SplittableRandom random = new SplittableRandom(42);
    float[][] vectors =
        clusters == 0
            ? RandomVectors.generate(n, spec.dimension(), 42)
            : RandomVectors.clustered(
                n, spec.dimension(), 42, clusters, HashingModel.CENTRE_SEED, 1.0);
    try (CatalogIndex index =
        CatalogIndex.openOrCreate(
            dir, spec, IndexSettings.DEFAULTS.withThumbnailSize(0), 512, Clock.systemUTC())) {
      for (int i = 0; i < n; i++) {
        String id = "p" + i;
        Product product =
            new Product(
                id,
                WORDS.get(random.nextInt(WORDS.size()))
                    + " "
                    + WORDS.get(random.nextInt(WORDS.size()))
                    + " "
                    + i,
                "a generated product",
                "brand" + random.nextInt(50),
                "Dept" + random.nextInt(8) + " > Aisle" + random.nextInt(5),
                BigDecimal.valueOf(1 + random.nextInt(500)),
                "EUR",
                List.of("tag" + random.nextInt(20)),
                null,
                List.of("v" + i),
                Map.of());
        IndexedImage image = new IndexedImage(0, "v" + i, "v" + i, "v" + i, vectors[i], 1, 1, null);
        index.upsert(
            new IndexedProduct(
                product,
                ProductJson.canonical(product),
                new byte[32],
                "bench",
                List.of(image),
                List.of()));
      }
      index.commit("bench build");
    }
    System.out.printf(
        Locale.ROOT, "built %d products in %.1f s%n", n, (System.nanoTime() - start) / 1e9);
  }
}
