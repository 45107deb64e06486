package dev.clipsearch.searcher.browser;

import dev.clipsearch.indexer.fetch.FetchConfig;
import dev.clipsearch.indexer.fetch.ImageFetcher;
import dev.clipsearch.indexer.index.CatalogIndex;
import dev.clipsearch.indexer.index.IndexSettings;
import dev.clipsearch.indexer.pipeline.BulkIndexer;
import dev.clipsearch.indexer.pipeline.FailureListener;
import dev.clipsearch.indexer.pipeline.IndexingConfig;
import dev.clipsearch.indexer.pipeline.IndexingResult;
import dev.clipsearch.indexer.pipeline.ProgressListener;
import dev.clipsearch.indexer.tag.AttributeFile;
import dev.clipsearch.indexer.tag.AttributeTagger;
import dev.clipsearch.indexer.tag.CatalogTagger;
import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ClipModels;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.image.ImageLimits;
import dev.clipsearch.models.image.ImagePipeline;
import dev.clipsearch.models.image.ImageProcessor;
import dev.clipsearch.models.testing.TestModels;
import dev.clipsearch.searcher.api.ApiSettings;
import dev.clipsearch.searcher.encode.EncoderSettings;
import dev.clipsearch.searcher.search.SearchSettings;
import dev.clipsearch.searcher.server.SearchServer;
import dev.clipsearch.searcher.server.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The real search server on a free loopback port, serving the web module's page at {@code /}, over
 * an index that the indexer's {@link BulkIndexer} built from the {@link GeneratedShop} with the
 * tiny random-weight test model.
 */
final class ShopServer implements AutoCloseable {

  static final long MAX_PIXELS = 40_000_000L;

  private final SearchServer server;
  private final List<GeneratedShop.Item> items;
  private final Path shopDir;

  private ShopServer(SearchServer server, List<GeneratedShop.Item> items, Path shopDir) {
    this.server = server;
    this.items = items;
    this.shopDir = shopDir;
  }

  /** Writes the shop under {@code workDir}, indexes it, and starts the server. */
  static ShopServer start(Path workDir) throws Exception {
    return start(workDir, null);
  }

  /**
   * As {@link #start(Path)}, then tags every product with the attributes of {@code attributes} (an
   * attributes file's text) at a floor and margin of 0, so that every product gets a value: the
   * random-weight model's choices mean nothing, but the page has {@code attr.*} facets to show.
   */
  static ShopServer start(Path workDir, String attributes) throws Exception {
    return start(workDir, attributes, TestModels.tiny(TestModels.Layout.HF));
  }

  /** As {@link #start(Path, String)}, with the model in {@code modelDir}. */
  static ShopServer start(Path workDir, String attributes, Path modelDir) throws Exception {
    Path shopDir = workDir.resolve("shop");
    Path indexDir = workDir.resolve("index");
    List<GeneratedShop.Item> items = GeneratedShop.write(shopDir);
    ClipModel model =
        ClipModels.load(
            modelDir, RuntimeOptions.defaults().withDevice(Device.CPU).withIntraOpThreads(1));
    try {
      ImageProcessor catalogImages = decodeStage(model, true);
      index(shopDir, indexDir, model, catalogImages, items.size());
      if (attributes != null) {
        tag(indexDir, model, attributes);
      }
      ServerConfig config =
          new ServerConfig(
              indexDir,
              model.id(),
              "127.0.0.1",
              0,
              "cpu",
              ApiSettings.defaults(),
              EncoderSettings.defaults(2),
              SearchSettings.defaults().withImagesRoot(shopDir),
              MAX_PIXELS,
              Duration.ofSeconds(5));
      SearchServer server =
          SearchServer.start(config, model, decodeStage(model, false), catalogImages);
      return new ShopServer(server, items, shopDir);
    } catch (Exception | Error e) {
      model.close();
      throw e;
    }
  }

  /** The production decode stage, as {@code clipsearch index} and {@code serve} build it. */
  private static ImageProcessor decodeStage(ClipModel model, boolean thumbnails) {
    return ImagePipeline.of(
        new ImageLimits(MAX_PIXELS),
        model.spec().preprocess(),
        thumbnails ? IndexSettings.DEFAULTS.thumbnailSize() : 0);
  }

  private static void index(
      Path shopDir, Path indexDir, ClipModel model, ImageProcessor images, int expected)
      throws Exception {
    IndexingConfig config =
        IndexingConfig.defaults(GeneratedShop.catalog(shopDir)).withThreads(2, 2);
    try (CatalogIndex index =
            CatalogIndex.openOrCreate(indexDir, model.spec(), IndexSettings.DEFAULTS);
        ImageFetcher fetcher = new ImageFetcher(FetchConfig.DEFAULTS)) {
      IndexingResult result =
          new BulkIndexer(
                  config,
                  index,
                  model,
                  fetcher,
                  images,
                  ProgressListener.NONE,
                  FailureListener.NONE)
              .run();
      if (result.counts().added() != expected || result.counts().failed() != 0) {
        throw new IllegalStateException(
            "indexing the generated shop (seed "
                + GeneratedShop.SEED
                + ") added "
                + result.counts().added()
                + " of "
                + expected
                + " products: "
                + result);
      }
    }
  }

  private static void tag(Path indexDir, ClipModel model, String attributes) throws Exception {
    try (CatalogIndex index =
        CatalogIndex.openOrCreate(indexDir, model.spec(), IndexSettings.DEFAULTS)) {
      CatalogTagger.run(
          index,
          new AttributeTagger(AttributeFile.parse("shop attributes", attributes), model, 0, 0),
          "complete",
          total -> {},
          done -> {});
    }
  }

  /** The page's address, {@code http://127.0.0.1:PORT}. */
  String baseUrl() {
    return "http://127.0.0.1:" + server.port();
  }

  /** The products in the index. */
  List<GeneratedShop.Item> items() {
    return items;
  }

  /** A product picture's file. */
  Path picture(GeneratedShop.Item item, int index) {
    return shopDir.resolve(item.images().get(index));
  }

  @Override
  public void close() {
    server.close();
  }
}
