package dev.clipsearch.indexer.solr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.common.catalog.Product;
import dev.clipsearch.common.catalog.ProductJson;
import dev.clipsearch.indexer.index.CatalogIndex;
import dev.clipsearch.indexer.index.IndexSettings;
import dev.clipsearch.indexer.index.search.LuceneSearchStore;
import dev.clipsearch.indexer.store.FacetCounts;
import dev.clipsearch.indexer.store.IndexedImage;
import dev.clipsearch.indexer.store.IndexedProduct;
import dev.clipsearch.indexer.store.MatchedProduct;
import dev.clipsearch.indexer.store.ProductFilter;
import dev.clipsearch.indexer.store.ProductMatch;
import dev.clipsearch.indexer.store.SearchStore;
import dev.clipsearch.indexer.store.StoreView;
import dev.clipsearch.models.testing.FakeClipModel;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded index and a two-shard Solr collection holding the same seeded catalog (50 products
 * with 1 to 4 images each, vectors from {@link FakeClipModel#projecting}) answer the same knn,
 * lexical, filtered and facet queries with the same products in the same order, the same scores
 * (within float rounding) and the same matched images. The catalog is small enough that both HNSW
 * searches are exact, so any difference is a difference in what the stores do.
 */
@Tag("solr")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SolrEqualsEmbeddedTest {

  private static final long SEED = 20261203L;
  private static final double SCORE_TOLERANCE = 1e-4;
  private static final String COLLECTION = "equality";

  private static final List<String> WORDS =
      List.of(
          "red", "blue", "green", "wool", "leather", "running", "shoe", "hat", "lamp", "mug",
          "coat", "desk", "coffee", "summer", "classic");
  private static final List<String> BRANDS = List.of("Acme", "Zed", "Nordic Co", "Blue, Inc.");
  private static final List<String> CATEGORIES =
      List.of("Clothing > Shoes", "Clothing > Hats", "Clothing", "Home > Kitchen", "Home > Lights");

  private final FakeClipModel model = FakeClipModel.projecting("equality-clip", 16);
  private SolrTestCloud solr;
  private SearchStore embedded;
  private SearchStore solrStore;

  @BeforeAll
  void buildBothStores(@TempDir Path tmp) throws Exception {
    System.out.println("SolrEqualsEmbeddedTest: seed " + SEED);
    List<IndexedProduct> catalog = catalog(new Random(SEED));
    Path index = tmp.resolve("index");
    try (CatalogIndex writer =
        CatalogIndex.openOrCreate(index, model.spec(), IndexSettings.DEFAULTS)) {
      for (IndexedProduct p : catalog) {
        writer.upsert(p);
      }
      writer.commit("equality");
    }
    embedded = LuceneSearchStore.open(index, model.spec(), false, Duration.ofSeconds(1));

    solr = SolrTestCloud.start(1, tmp.resolve("solr"), "SolrEqualsEmbeddedTest");
    SolrCollectionSpec spec =
        SolrCollectionSpec.withDefaults(COLLECTION, 2, 1, SolrModelIdentity.of(model.spec()));
    try (SolrCatalogStore writer = SolrCatalogStore.open(solr.client(), spec, model.spec())) {
      for (IndexedProduct p : catalog) {
        writer.upsert(p);
      }
      writer.commit("equality");
    }
    solrStore = SolrSearchStore.open(solr.client(), COLLECTION, false);
  }

  @AfterAll
  void closeStores() throws Exception {
    if (embedded != null) {
      embedded.close();
    }
    if (solrStore != null) {
      solrStore.close();
    }
    if (solr != null) {
      solr.close();
    }
  }

  private List<IndexedProduct> catalog(Random random) {
    List<IndexedProduct> products = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String id = String.format("p%02d", i);
      String title =
          WORDS.get(random.nextInt(WORDS.size()))
              + " "
              + WORDS.get(random.nextInt(WORDS.size()))
              + (random.nextBoolean() ? " " + WORDS.get(random.nextInt(WORDS.size())) : "");
      int imageCount = 1 + random.nextInt(4);
      List<String> refs = new ArrayList<>();
      for (int j = 0; j < imageCount; j++) {
        refs.add(id + "-" + j + ".jpg");
      }
      Product product =
          new Product(
              id,
              title,
              "A " + WORDS.get(random.nextInt(WORDS.size())) + " thing for every day",
              random.nextInt(10) == 0 ? null : BRANDS.get(random.nextInt(BRANDS.size())),
              CATEGORIES.get(random.nextInt(CATEGORIES.size())),
              random.nextInt(8) == 0 ? null : BigDecimal.valueOf(5 + random.nextInt(96)),
              "EUR",
              random.nextBoolean() ? List.of("sale") : List.of(),
              null,
              refs,
              Map.of());
      List<IndexedImage> images = new ArrayList<>();
      for (int j = 0; j < imageCount; j++) {
        float[] pixels = new float[model.spec().preprocess().tensorLength()];
        for (int k = 0; k < pixels.length; k++) {
          pixels[k] = random.nextFloat();
        }
        images.add(
            new IndexedImage(
                j,
                refs.get(j),
                "fp-" + id + "-" + j,
                "sha-" + id + "-" + j,
                model.embed(pixels),
                16,
                16,
                (id + "#" + j).getBytes(StandardCharsets.UTF_8)));
      }
      products.add(
          new IndexedProduct(
              product,
              ProductJson.canonical(product),
              new byte[32],
              "content-" + id,
              images,
              List.of()));
    }
    return products;
  }

  private static final List<String> QUERIES =
      List.of("red shoe", "wool hat", "leather coat", "desk lamp", "coffee mug", "summer classic");

  private static List<ProductFilter> filters() {
    return List.of(
        ProductFilter.NONE,
        new ProductFilter(null, List.of("Acme", "Blue, Inc."), null, null, List.of(), null),
        new ProductFilter("Clothing", List.of(), null, null, List.of(), null),
        new ProductFilter("Home>Kitchen", List.of(), null, null, List.of(), null),
        new ProductFilter(null, List.of(), 20.0, 60.0, List.of(), null),
        new ProductFilter(null, List.of(), null, null, List.of("sale"), "p07"),
        new ProductFilter("Clothing", List.of("Zed"), null, 80.0, List.of("sale"), null));
  }

  @Test
  void knn_returns_the_same_products_scores_and_matched_images() {
    try (StoreView a = embedded.view();
        StoreView b = solrStore.view()) {
      for (String query : QUERIES) {
        float[] vector = model.textVector(query);
        for (ProductFilter filter : filters()) {
          for (int k : List.of(1, 5, 20)) {
            String what = "knn '" + query + "' k=" + k + " " + filter;
            List<ProductMatch> want = a.knn(vector, k, filter);
            List<ProductMatch> got = b.knn(vector, k, filter);
            assertSame(what, want, got);
            assertEquals(
                matchedImages(a.load(want)), matchedImages(b.load(got)), what + ": matched images");
          }
        }
      }
    }
  }

  @Test
  void lexical_returns_the_same_products_and_bm25_scores() {
    try (StoreView a = embedded.view();
        StoreView b = solrStore.view()) {
      int nonEmpty = 0;
      for (String query : QUERIES) {
        for (ProductFilter filter : filters()) {
          String what = "lexical '" + query + "' " + filter;
          List<ProductMatch> want = a.lexical(query, 10, 20, filter);
          assertSame(what, want, b.lexical(query, 10, 20, filter));
          nonEmpty += want.isEmpty() ? 0 : 1;
        }
        assertSame(
            "lexical, one term of '" + query + "'",
            a.lexical(query, 1, 20, ProductFilter.NONE),
            b.lexical(query, 1, 20, ProductFilter.NONE));
      }
      assertTrue(nonEmpty > 10, "the queries match something: " + nonEmpty);
    }
  }

  @Test
  void best_image_scores_lexical_matches_alike() {
    try (StoreView a = embedded.view();
        StoreView b = solrStore.view()) {
      for (String query : QUERIES) {
        float[] vector = model.textVector(query);
        List<ProductMatch> want = a.lexical(query, 10, 20, ProductFilter.NONE);
        List<ProductMatch> got = b.lexical(query, 10, 20, ProductFilter.NONE);
        assertSame("lexical '" + query + "'", want, got);
        List<ProductMatch> wantBest = want.stream().map(m -> a.bestImage(m, vector)).toList();
        List<ProductMatch> gotBest = got.stream().map(m -> b.bestImage(m, vector)).toList();
        assertSame("best images for '" + query + "'", wantBest, gotBest);
        assertEquals(matchedImages(a.load(wantBest)), matchedImages(b.load(gotBest)), query);
      }
    }
  }

  @Test
  void facets_count_the_same_values() {
    try (StoreView a = embedded.view();
        StoreView b = solrStore.view()) {
      for (String query : QUERIES) {
        float[] vector = model.textVector(query);
        for (ProductFilter filter : filters()) {
          List<ProductMatch> want = a.knn(vector, 30, filter);
          List<ProductMatch> got = b.knn(vector, 30, filter);
          List<String> facets = List.of(FacetCounts.BRAND, FacetCounts.CATEGORY);
          for (int limit : List.of(2, 10)) {
            assertEquals(
                a.facets(want, facets, limit),
                b.facets(got, facets, limit),
                "facets of knn '" + query + "' " + filter + " limit " + limit);
          }
        }
      }
    }
  }

  @Test
  void lookups_return_the_same_products_images_and_vectors() {
    try (StoreView a = embedded.view();
        StoreView b = solrStore.view()) {
      for (int i = 0; i < 50; i += 7) {
        String id = String.format("p%02d", i);
        assertEquals(a.product(id).orElseThrow().json(), b.product(id).orElseThrow().json(), id);
        assertEquals(
            a.images(id).orElseThrow().stream().map(r -> r.index() + " " + r.source()).toList(),
            b.images(id).orElseThrow().stream().map(r -> r.index() + " " + r.source()).toList(),
            id);
        List<float[]> wantVectors = a.imageVectors(id).orElseThrow();
        List<float[]> gotVectors = b.imageVectors(id).orElseThrow();
        assertEquals(wantVectors.size(), gotVectors.size(), id);
        for (int j = 0; j < wantVectors.size(); j++) {
          assertArrayEquals(wantVectors.get(j), gotVectors.get(j), id + " image " + j);
        }
        assertArrayEquals(
            a.thumbnail(a.images(id).orElseThrow().get(0)).orElseThrow().bytes(),
            b.thumbnail(b.images(id).orElseThrow().get(0)).orElseThrow().bytes(),
            id);
      }
      assertFalse(b.contains("p99"));
      assertEquals(embedded.sizes().products(), solrStore.sizes().products());
      assertEquals(embedded.sizes().images(), solrStore.sizes().images());
    }
  }

  private static void assertSame(String what, List<ProductMatch> want, List<ProductMatch> got) {
    assertEquals(ids(want), ids(got), what);
    for (int i = 0; i < want.size(); i++) {
      assertEquals(
          want.get(i).score(),
          got.get(i).score(),
          SCORE_TOLERANCE,
          what + ": score of " + want.get(i).productId());
      assertEquals(want.get(i).hasImage(), got.get(i).hasImage(), what);
    }
  }

  private static List<String> ids(List<ProductMatch> matches) {
    return matches.stream().map(ProductMatch::productId).toList();
  }

  private static List<String> matchedImages(List<MatchedProduct> loaded) {
    return loaded.stream().map(m -> m.match().productId() + ":" + m.matchedImage()).toList();
  }
}
