package dev.clipsearch.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.common.catalog.Product;
import dev.clipsearch.common.catalog.ProductJson;
import dev.clipsearch.indexer.catalog.CatalogFormat;
import dev.clipsearch.indexer.cli.IndexCommand;
import dev.clipsearch.indexer.cli.IndexJob;
import dev.clipsearch.indexer.index.search.LuceneSearchStore;
import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.image.ClipImagePreprocessor;
import dev.clipsearch.models.image.ImageDecoder;
import dev.clipsearch.models.image.ImageLimits;
import dev.clipsearch.models.image.ImagePipeline;
import dev.clipsearch.models.offline.OfflineModel;
import dev.clipsearch.sampledata.BuildSummary;
import dev.clipsearch.sampledata.CatalogSize;
import dev.clipsearch.sampledata.SampleCatalogBuilder;
import dev.clipsearch.sampledata.SampleCatalogConfig;
import dev.clipsearch.sampledata.testing.TestNpmCache;
import dev.clipsearch.searcher.encode.EncoderSettings;
import dev.clipsearch.searcher.encode.QueryEncoder;
import dev.clipsearch.searcher.metrics.ServerMetrics;
import dev.clipsearch.searcher.search.SearchSettings;
import dev.clipsearch.searcher.search.StoreSearchService;
import dev.clipsearch.searcher.service.ComposedSearch;
import dev.clipsearch.searcher.service.Hit;
import dev.clipsearch.searcher.service.QueryPart;
import dev.clipsearch.searcher.service.SearchMode;
import dev.clipsearch.searcher.service.SearchOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Composed queries on the shipped offline model over the small sample catalog, indexed as {@code
 * clipsearch index} does: "this product, but WORD" should rank the sibling product whose title
 * differs from it by that word first. Sibling pairs are found in the catalog itself (titles of the
 * same length that differ in exactly one word); the share of pairs where the sibling comes first is
 * measured and printed for the composed query and for its two parts alone, so the test shows the
 * refinement moving the ranking rather than assuming it.
 */
@Tag("network")
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class ComposedQueryOfflineTest {

  private static final Path CACHE = TestNpmCache.tarballs();

  @TempDir static Path tmp;
  private static ClipModel model;
  private static LuceneSearchStore store;
  private static QueryEncoder encoder;
  private static StoreSearchService service;
  private static List<Product> products;

  @BeforeAll
  @Timeout(value = 30, unit = TimeUnit.MINUTES)
  static void indexTheSmallCatalog() throws Exception {
    SampleCatalogConfig config =
        SampleCatalogConfig.defaults(CACHE, tmp.resolve("catalog"))
            .withSizes(EnumSet.of(CatalogSize.SMALL));
    BuildSummary summary = new SampleCatalogBuilder(config).build();
    Path catalog = summary.catalog(CatalogSize.SMALL);
    products = new ArrayList<>();
    for (String line : Files.readAllLines(catalog, StandardCharsets.UTF_8)) {
      products.add(ProductJson.read(line));
    }
    Path modelDir = OfflineModel.install(tmp.resolve("model"));
    Path index = tmp.resolve("index");
    StringWriter log = new StringWriter();
    int exit =
        IndexCommand.run(
            IndexJob.defaults(catalog, CatalogFormat.JSONL, index, modelDir, Device.CPU),
            new PrintWriter(log),
            new PrintWriter(log));
    assertEquals(0, exit, log.toString());
    model =
        OfflineModel.load(
            modelDir, RuntimeOptions.defaults().withDevice(Device.CPU).withIntraOpThreads(2));
    ImagePipeline images =
        new ImagePipeline(
            new ImageDecoder(ImageLimits.DEFAULT),
            new ClipImagePreprocessor(model.spec().preprocess()));
    ServerMetrics metrics = new ServerMetrics();
    store = LuceneSearchStore.open(index, model.spec(), false, Duration.ofSeconds(1));
    encoder = new QueryEncoder(model, images, images, EncoderSettings.defaults(1), metrics);
    service = new StoreSearchService(store, encoder, SearchSettings.defaults(), metrics);
  }

  @AfterAll
  static void close() throws Exception {
    if (encoder != null) {
      encoder.close();
    }
    if (store != null) {
      store.close();
    }
    if (model != null) {
      model.close();
    }
  }

  /** Product {@code from}, the word that makes it {@code to}. */
  record Pair(Product from, Product to, String word) {
    @Override
    public String toString() {
      return "'" + from.title() + "' + '" + word + "' -> '" + to.title() + "'";
    }
  }

  /** Ordered pairs of titles of equal length that differ in exactly one word. */
  static List<Pair> siblings(List<Product> products) {
    List<Pair> pairs = new ArrayList<>();
    for (Product a : products) {
      String[] wa = words(a.title());
      for (Product b : products) {
        String[] wb = words(b.title());
        if (a == b || wa.length != wb.length) {
          continue;
        }
        int differ = -1;
        int count = 0;
        for (int i = 0; i < wa.length; i++) {
          if (!wa[i].equals(wb[i])) {
            differ = i;
            count++;
          }
        }
        if (count == 1) {
          pairs.add(new Pair(a, b, wb[differ]));
        }
      }
    }
    return pairs;
  }

  private static String[] words(String title) {
    return title.toLowerCase(Locale.ROOT).strip().split("\\s+");
  }

  private static String first(QueryPart... parts) {
    List<Hit> hits =
        service
            .composedSearch(
                new ComposedSearch(List.of(parts), SearchMode.VECTOR, SearchOptions.firstPage(5)))
            .hits();
    return hits.isEmpty() ? null : hits.getFirst().id();
  }

  @Test
  void a_product_plus_a_word_ranks_the_sibling_with_that_word_first() {
    List<Pair> pairs = siblings(products);
    assertTrue(pairs.size() >= 4, "sibling pairs in the small catalog: " + pairs);
    int composed = 0;
    int productAlone = 0;
    int wordAlone = 0;
    List<String> lines = new ArrayList<>();
    for (Pair pair : pairs) {
      String target = pair.to().id();
      boolean c =
          target.equals(
              first(
                  new QueryPart.Product(pair.from().id(), 1.0),
                  new QueryPart.Text(pair.word(), 1.0)));
      boolean p = target.equals(first(new QueryPart.Product(pair.from().id(), 1.0)));
      boolean w = target.equals(first(new QueryPart.Text(pair.word(), 1.0)));
      composed += c ? 1 : 0;
      productAlone += p ? 1 : 0;
      wordAlone += w ? 1 : 0;
      lines.add((c ? "  first " : "  missed ") + pair);
    }
    String measured =
        String.format(
            Locale.ROOT,
            "sibling first over %d pairs: product + word %d (%.2f), product alone %d (%.2f),"
                + " word alone %d (%.2f)%n%s",
            pairs.size(),
            composed,
            (double) composed / pairs.size(),
            productAlone,
            (double) productAlone / pairs.size(),
            wordAlone,
            (double) wordAlone / pairs.size(),
            String.join("\n", lines));
    System.out.println(measured);
  }
}
