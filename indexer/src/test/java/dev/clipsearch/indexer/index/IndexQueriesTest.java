package dev.clipsearch.indexer.index;

import static dev.clipsearch.indexer.testing.IndexedProducts.indexed;
import static dev.clipsearch.models.testing.TestProducts.dot;
import static dev.clipsearch.models.testing.TestProducts.product;
import static dev.clipsearch.models.testing.TestProducts.unitVector;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.models.ModelSpec;
import dev.clipsearch.models.testing.FakeClipModel;
import dev.clipsearch.models.testing.RandomSeed;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.lucene.facet.FacetResult;
import org.apache.lucene.facet.Facets;
import org.apache.lucene.facet.FacetsCollectorManager;
import org.apache.lucene.facet.sortedset.DefaultSortedSetDocValuesReaderState;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetCounts;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.QueryBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins down how a searcher queries the index: diversified KNN (each product once, scored by its
 * best image), pre-filtering inside the KNN search, facets, and recall against brute force.
 */
@ExtendWith(RandomSeed.Extension.class)
class IndexQueriesTest {

  private static final int DIM = 32;

  @TempDir Path dir;

  private final ModelSpec model = FakeClipModel.projecting("test-model", DIM).spec();

  private record Catalog(Map<String, float[][]> vectors, Map<String, String> brands) {}

  private Catalog build(CatalogIndex index, long seed, int products) throws IOException {
    Random random = new Random(seed);
    Map<String, float[][]> vectors = new HashMap<>();
    Map<String, String> brands = new HashMap<>();
    List<String> brandNames = List.of("Acme", "Globex", "Initech", "Umbrella", "Rare");
    for (int i = 0; i < products; i++) {
      String id = "p" + i;
      int images = 1 + random.nextInt(3);
      float[][] v = new float[images][];
      for (int j = 0; j < images; j++) {
        v[j] = unitVector(random, DIM);
      }
      // "Rare" is a selective filter: 1 product in 50.
      String brand = i % 50 == 0 ? "Rare" : brandNames.get(i % 4);
      String category = i % 2 == 0 ? "Clothing > Shoes > Sneakers" : "Clothing > Shirts";
      index.upsert(
          indexed(
              product(
                  id, brand, category, Integer.toString(10 + i % 90), List.of("t" + i % 3), images),
              v));
      vectors.put(id, v);
      brands.put(id, brand);
    }
    index.commit("test");
    return new Catalog(vectors, brands);
  }

  private static List<String> exactTop(Catalog catalog, float[] query, int k, String brand) {
    List<Map.Entry<String, Float>> scored = new ArrayList<>();
    catalog
        .vectors()
        .forEach(
            (id, vs) -> {
              if (brand == null || brand.equals(catalog.brands().get(id))) {
                float best = -2;
                for (float[] v : vs) {
                  best = Math.max(best, dot(v, query));
                }
                scored.add(Map.entry(id, best));
              }
            });
    scored.sort(Map.Entry.<String, Float>comparingByValue(Comparator.reverseOrder()));
    return scored.stream().limit(k).map(Map.Entry::getKey).toList();
  }

  private static List<String> productIds(IndexSearcher searcher, TopDocs top) throws IOException {
    List<String> ids = new ArrayList<>();
    for (ScoreDoc hit : top.scoreDocs) {
      int product = IndexQueries.productDoc(searcher.getIndexReader(), hit.doc);
      ids.add(searcher.storedFields().document(product).get(IndexSchema.ID));
    }
    return ids;
  }

  @Test
  void knn_returns_each_product_once_scored_by_its_best_image(RandomSeed seed) throws IOException {
    try (CatalogIndex index = CatalogIndex.openOrCreate(dir, model, IndexSettings.DEFAULTS)) {
      Catalog catalog = build(index, seed.value(), 300);
      try (IndexSnapshot snapshot = index.snapshot()) {
        IndexSearcher searcher = new IndexSearcher(snapshot.reader());
        // Query with the second image of a 3-image product: it must come first, with score 1.
        String target =
            catalog.vectors().entrySet().stream()
                .filter(e -> e.getValue().length == 3)
                .map(Map.Entry::getKey)
                .sorted()
                .findFirst()
                .orElseThrow();
        float[] query = catalog.vectors().get(target)[1];
        TopDocs top = searcher.search(IndexQueries.knn(index.metadata(), query, 20, null), 20);
        List<String> ids = productIds(searcher, top);
        assertEquals(20, ids.size());
        assertEquals(20, new HashSet<>(ids).size(), seed + ": duplicates in " + ids);
        assertEquals(target, ids.get(0), seed.toString());
        assertEquals(1f, top.scoreDocs[0].score, 1e-5f, "DOT_PRODUCT score is (1 + cos) / 2");
        var matched = searcher.storedFields().document(top.scoreDocs[0].doc);
        assertEquals(target + "-1.jpg", matched.get(IndexSchema.IMAGE_SOURCE));
        // The product-level variant finds the same products.
        TopDocs parents =
            searcher.search(IndexQueries.knnProducts(index.metadata(), query, 20, null), 20);
        int first = parents.scoreDocs[0].doc;
        assertEquals(target, searcher.storedFields().document(first).get(IndexSchema.ID));
      }
    }
  }

  @Test
  void a_selective_filter_is_applied_inside_the_knn_search_and_still_fills_k(RandomSeed seed)
      throws IOException {
    try (CatalogIndex index = CatalogIndex.openOrCreate(dir, model, IndexSettings.DEFAULTS)) {
      Catalog catalog = build(index, seed.value(), 500);
      long rare = catalog.brands().values().stream().filter("Rare"::equals).count();
      try (IndexSnapshot snapshot = index.snapshot()) {
        IndexSearcher searcher = new IndexSearcher(snapshot.reader());
        float[] query = unitVector(seed.random(1), DIM);
        Query filter = IndexQueries.brands(List.of("Rare"));
        TopDocs top = searcher.search(IndexQueries.knn(index.metadata(), query, 8, filter), 8);
        List<String> ids = productIds(searcher, top);
        assertEquals(Math.min(8, rare), ids.size(), seed.toString());
        for (String id : ids) {
          assertEquals("Rare", catalog.brands().get(id), id);
        }
        assertEquals(exactTop(catalog, query, 8, "Rare"), ids, seed.toString());
        // More like this: the product's own stored vector finds it first unless excluded.
        String first = ids.get(0);
        float[] own = IndexQueries.imageVectors(snapshot.reader(), index.metadata(), first).get(0);
        Query others = IndexQueries.allOf(IndexQueries.excludingProduct(first), filter);
        List<String> similar =
            productIds(
                searcher, searcher.search(IndexQueries.knn(index.metadata(), own, 8, others), 8));
        assertTrue(!similar.contains(first), similar.toString());
        assertEquals(Math.min(8, rare - 1), similar.size(), seed.toString());
        Query none = IndexQueries.brands(List.of("NoSuchBrand"));
        assertEquals(
            0,
            searcher.search(IndexQueries.knn(index.metadata(), query, 8, none), 8)
                .scoreDocs
                .length);
      }
    }
  }

  @Test
  void category_prefix_price_range_tags_and_text_filters_select_products() throws Exception {
    try (CatalogIndex index = CatalogIndex.openOrCreate(dir, model, IndexSettings.DEFAULTS)) {
      build(index, 5, 100);
      try (IndexSnapshot snapshot = index.snapshot()) {
        IndexSearcher searcher = new IndexSearcher(snapshot.reader());
        assertEquals(100, searcher.count(IndexQueries.categoryPrefix("Clothing")));
        assertEquals(50, searcher.count(IndexQueries.categoryPrefix("Clothing>Shoes")));
        assertEquals(0, searcher.count(IndexQueries.categoryPrefix("Cloth")));
        // prices are 10 + i % 90: [10, 19] holds i % 90 in 0..9 → 10 of the first 90, 10 more.
        assertEquals(20, searcher.count(IndexQueries.priceRange(10.0, 19.0)));
        assertEquals(34, searcher.count(IndexQueries.tags(List.of("t0"))));
        Query both =
            IndexQueries.allOf(
                IndexQueries.categoryPrefix("Clothing > Shirts"), IndexQueries.tags(List.of("t1")));
        assertEquals(17, searcher.count(both));
        Query text =
            new QueryBuilder(IndexSchema.analyzer())
                .createBooleanQuery(IndexSchema.TITLE, "PRODUCT P42", BooleanClause.Occur.MUST);
        TopDocs hits = searcher.search(text, 1);
        assertEquals("p42", searcher.storedFields().document(hits.scoreDocs[0].doc).get("id"));
        assertEquals(1, searcher.count(IndexQueries.product("p42")));
      }
    }
  }

  @Test
  void brand_and_hierarchical_category_facets_count_products() throws IOException {
    try (CatalogIndex index = CatalogIndex.openOrCreate(dir, model, IndexSettings.DEFAULTS)) {
      build(index, 6, 100);
      try (IndexSnapshot snapshot = index.snapshot()) {
        DirectoryReader reader = snapshot.reader();
        IndexSearcher searcher = new IndexSearcher(reader);
        var state = new DefaultSortedSetDocValuesReaderState(reader, IndexSchema.facetsConfig());
        var collector = searcher.search(IndexSchema.productsQuery(), new FacetsCollectorManager());
        Facets facets = new SortedSetDocValuesFacetCounts(state, collector);
        FacetResult brands = facets.getTopChildren(10, IndexSchema.FACET_BRAND);
        assertEquals(100, brands.value.intValue());
        Map<String, Integer> counts = new HashMap<>();
        for (var label : brands.labelValues) {
          counts.put(label.label, label.value.intValue());
        }
        assertEquals(2, counts.get("Rare"));
        // i % 4 == 0 or 2, minus the two "Rare" ones (i = 0, 50)
        assertEquals(48, counts.get("Acme") + counts.get("Initech"));
        FacetResult shoes =
            facets.getTopChildren(10, IndexSchema.FACET_CATEGORY, "Clothing", "Shoes");
        assertEquals("Sneakers", shoes.labelValues[0].label);
        assertEquals(50, shoes.labelValues[0].value.intValue());
      }
    }
  }

  @Test
  void hnsw_recall_against_brute_force_is_high_in_every_quantization(RandomSeed seed)
      throws IOException {
    for (Quantization q : Quantization.values()) {
      Path sub = dir.resolve(q.code());
      try (CatalogIndex index =
          CatalogIndex.openOrCreate(sub, model, IndexSettings.DEFAULTS.withQuantization(q))) {
        Catalog catalog = build(index, seed.value(), 1500);
        try (IndexSnapshot snapshot = index.snapshot()) {
          IndexSearcher searcher = new IndexSearcher(snapshot.reader());
          Random queries = seed.random(7);
          int found = 0;
          int total = 0;
          for (int i = 0; i < 30; i++) {
            float[] query = unitVector(queries, DIM);
            Set<String> exact = new HashSet<>(exactTop(catalog, query, 10, null));
            // As a searcher does: explore 50 candidates (HNSW's efSearch), keep the best 10.
            List<String> approx =
                productIds(
                    searcher,
                    searcher.search(IndexQueries.knn(index.metadata(), query, 50, null), 10));
            for (String id : approx) {
              found += exact.contains(id) ? 1 : 0;
            }
            total += 10;
          }
          double recall = (double) found / total;
          // Unrescored: the order comes from the quantized vectors alone (1 bit per dimension
          // for binary, which is why searchers rescore them: RescoringKnnTest).
          double floor =
              switch (q) {
                case INT4 -> 0.7;
                case BINARY -> 0.2;
                default -> 0.9;
              };
          assertTrue(
              recall >= floor,
              q.code() + " recall@10 " + recall + " below " + floor + " (" + seed + ")");
          System.out.printf("recall@10 %s = %.3f%n", q.code(), recall);
        }
      }
    }
  }
}
