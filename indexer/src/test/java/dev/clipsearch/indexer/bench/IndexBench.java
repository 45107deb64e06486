package dev.clipsearch.indexer.bench;

import dev.clipsearch.indexer.fetch.FetchConfig;
import dev.clipsearch.indexer.fetch.ImageFetcher;
import dev.clipsearch.indexer.index.CatalogIndex;
import dev.clipsearch.indexer.index.IndexSettings;
import dev.clipsearch.indexer.pipeline.BulkIndexer;
import dev.clipsearch.indexer.pipeline.FailureListener;
import dev.clipsearch.indexer.pipeline.IndexingConfig;
import dev.clipsearch.indexer.pipeline.IndexingResult;
import dev.clipsearch.indexer.pipeline.ProgressListener;
import dev.clipsearch.indexer.pipeline.Stage;
import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ClipModels;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.Variant;
import dev.clipsearch.models.image.ClipImagePreprocessor;
import dev.clipsearch.models.image.DecodeMode;
import dev.clipsearch.models.image.ImageDecoder;
import dev.clipsearch.models.image.ImageLimits;
import dev.clipsearch.models.image.ImagePipeline;
import dev.clipsearch.models.image.Thumbnailer;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * End-to-end indexing throughput: a generated catalog of product photos (seeded JPEGs, 800 x 600 by
 * default) through the whole pipeline (read, stat, hash, decode, CLIP preprocessing, thumbnail, the
 * model, Lucene and HNSW, commits), then the same catalog again (the incremental no-op rerun).
 * Prints a table with products/s and the time split. Run through {@code
 * indexer/bench/index-bench.sh}.
 *
 * <pre>
 * IndexBench --model DIR [--products 300] [--images 1] [--threads 2] [--batch 32]
 *            [--model-threads 0] [--device cpu] [--width 800] [--height 600] [--dir DIR]
 *            [--decode exact|fast]
 * </pre>
 */
public final class IndexBench {

  private IndexBench() {}

  public static void main(String[] args) throws Exception {
    Path modelDir = null;
    int products = 300;
    int imagesPerProduct = 1;
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    int batch = 32;
    int modelThreads = 0;
    Device device = Device.CPU;
    int width = 800;
    int height = 600;
    Path dir = null;
    DecodeMode decode = DecodeMode.EXACT;
    int sessions = 1;
    Variant precision = Variant.FP32;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--model" -> modelDir = Path.of(value);
        case "--products" -> products = Integer.parseInt(value);
        case "--images" -> imagesPerProduct = Integer.parseInt(value);
        case "--threads" -> threads = Integer.parseInt(value);
        case "--batch" -> batch = Integer.parseInt(value);
        case "--model-threads" -> modelThreads = Integer.parseInt(value);
        case "--device" -> device = Device.parse(value);
        case "--width" -> width = Integer.parseInt(value);
        case "--height" -> height = Integer.parseInt(value);
        case "--dir" -> dir = Path.of(value);
        case "--decode" -> decode = DecodeMode.parse(value);
        case "--encoder-sessions" -> sessions = Integer.parseInt(value);
        case "--precision" -> precision = Variant.parse(value);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
      i++;
    }
    if (modelDir == null) {
      throw new IllegalArgumentException("--model DIR is required");
    }
    Path root = dir != null ? dir : Files.createTempDirectory("index-bench");
    Path catalog =
        generateCatalog(root.resolve("catalog"), products, imagesPerProduct, width, height);
    RuntimeOptions runtime =
        RuntimeOptions.defaults()
            .withDevice(device)
            .withBatchSize(batch)
            .withIntraOpThreads(modelThreads)
            .withEncoderSessions(sessions)
            .withVariant(precision);
    try (ClipModel model = ClipModels.load(modelDir, runtime);
        ImageFetcher fetcher = new ImageFetcher(FetchConfig.DEFAULTS)) {
      System.out.printf(
          Locale.ROOT,
          "end-to-end indexing: model %s (dimension %d), %,d products x %d image(s) of %dx%d JPEG,"
              + " %d decode threads, batch %d, device %s, %s, %d encoder session(s), model threads"
              + " %s, %d cores%n",
          model.id(),
          model.dimension(),
          products,
          imagesPerProduct,
          width,
          height,
          threads,
          batch,
          device,
          precision,
          sessions,
          modelThreads == 0 ? "auto" : Integer.toString(modelThreads),
          Runtime.getRuntime().availableProcessors());
      System.out.println(
          "| run | products/s | images/s | wall s | decode s (sum) | encode s | write s | commit s"
              + " | encoder idle s |");
      System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
      Path indexDir = root.resolve("index");
      for (String run : new String[] {"first run (all new)", "rerun (nothing changed)"}) {
        IndexingConfig config =
            IndexingConfig.defaults(catalog)
                .withBatchSize(batch)
                .withThreads(threads, 8)
                .withCommits(5000, Duration.ofSeconds(60));
        IndexingResult r;
        try (CatalogIndex index =
            CatalogIndex.openOrCreate(indexDir, model.spec(), IndexSettings.DEFAULTS)) {
          ImagePipeline processor =
              new ImagePipeline(
                  decode.decoder(
                      new ImageDecoder(ImageLimits.DEFAULT), model.spec().preprocess().size(), 128),
                  new ClipImagePreprocessor(model.spec().preprocess()),
                  new Thumbnailer(128, Thumbnailer.DEFAULT_QUALITY));
          r =
              new BulkIndexer(
                      config,
                      index,
                      model,
                      fetcher,
                      processor,
                      ProgressListener.NONE,
                      FailureListener.NONE)
                  .run();
        }
        if (r.counts().failed() > 0) {
          throw new IllegalStateException("failures in the benchmark: " + r.summary());
        }
        double wall = r.timings().wall().toMillis() / 1e3;
        System.out.printf(
            Locale.ROOT,
            "| %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |%n",
            run,
            r.counts().entries() / wall,
            r.images().encoded() / wall,
            wall,
            s(r, Stage.DECODE),
            s(r, Stage.ENCODE),
            s(r, Stage.WRITE),
            s(r, Stage.COMMIT),
            s(r, Stage.ENCODER_IDLE));
      }
    }
  }

  private static double s(IndexingResult r, Stage stage) {
    return r.timings().stages().get(stage).toMillis() / 1e3;
  }

  /** Seeded product-photo-like JPEGs: a gradient background, shapes, a little noise. */
  static Path generateCatalog(Path dir, int products, int images, int width, int height)
      throws IOException {
    Files.createDirectories(dir.resolve("img"));
    StringBuilder lines = new StringBuilder();
    Random random = new Random(7);
    for (int p = 0; p < products; p++) {
      StringBuilder refs = new StringBuilder();
      for (int i = 0; i < images; i++) {
        String ref = "img/p" + p + "-" + i + ".jpg";
        Path file = dir.resolve(ref);
        if (!Files.exists(file)) {
          Files.write(file, photo(random, width, height));
        }
        refs.append(i == 0 ? "" : ",").append('"').append(ref).append('"');
      }
      lines.append(
          String.format(
              Locale.ROOT,
              "{\"id\":\"p%d\",\"title\":\"Product %d\",\"brand\":\"Brand %d\","
                  + "\"category\":\"Dept %d > Kind %d\",\"price\":%d.99,\"images\":[%s]}%n",
              p,
              p,
              p % 20,
              p % 5,
              p % 17,
              10 + p % 90,
              refs));
    }
    return Files.writeString(dir.resolve("catalog.jsonl"), lines.toString());
  }

  private static byte[] photo(Random random, int width, int height) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setPaint(
        new GradientPaint(
            0,
            0,
            new Color(random.nextInt(0xFFFFFF)),
            width,
            height,
            new Color(random.nextInt(0xFFFFFF))));
    g.fillRect(0, 0, width, height);
    for (int i = 0; i < 12; i++) {
      g.setColor(new Color(random.nextInt(0xFFFFFF)));
      int w = 20 + random.nextInt(width / 2);
      int h = 20 + random.nextInt(height / 2);
      if (random.nextBoolean()) {
        g.fillOval(random.nextInt(width), random.nextInt(height), w, h);
      } else {
        g.fillRect(random.nextInt(width), random.nextInt(height), w, h);
      }
    }
    g.dispose();
    for (int i = 0; i < width * height / 20; i++) {
      int x = random.nextInt(width);
      int y = random.nextInt(height);
      image.setRGB(x, y, image.getRGB(x, y) ^ random.nextInt(0x202020));
    }
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    ImageWriter writer = writers.next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(0.9f);
      writer.setOutput(stream);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }
}
