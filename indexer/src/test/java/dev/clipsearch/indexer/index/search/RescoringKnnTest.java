package dev.clipsearch.indexer.index.search;

import static dev.clipsearch.indexer.testing.IndexedProducts.indexed;
import static dev.clipsearch.models.testing.TestProducts.dot;
import static dev.clipsearch.models.testing.TestProducts.product;
import static dev.clipsearch.models.testing.TestProducts.unitVector;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.indexer.index.CatalogIndex;
import dev.clipsearch.indexer.index.IndexMetadata;
import dev.clipsearch.indexer.index.IndexQueries;
import dev.clipsearch.indexer.index.IndexSchema;
import dev.clipsearch.indexer.index.IndexSettings;
import dev.clipsearch.indexer.index.IndexSnapshot;
import dev.clipsearch.indexer.index.Quantization;
import dev.clipsearch.models.ModelSpec;
import dev.clipsearch.models.testing.FakeClipModel;
import dev.clipsearch.models.testing.RandomSeed;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quantized KNN rescored on the float vectors: hits ranked and scored as a float index would score
 * them, filters kept, recall against brute force high in every quantization.
 */
@ExtendWith(RandomSeed.Extension.class)
class RescoringKnnTest {

  private static final int DIM = 128;
  private static final int PRODUCTS = 600;

  @TempDir Path dir;

  private final ModelSpec model = FakeClipModel.projecting("test-model", DIM).spec();

  /** One image per product: product id to vector; even products are brand "Even". */
  private Map<String, float[]> build(CatalogIndex index, long seed) throws IOException {
    Random random = new Random(seed);
    Map<String, float[]> vectors = new HashMap<>();
    for (int i = 0; i < PRODUCTS; i++) {
      String id = "p" + i;
      float[] v = unitVector(random, DIM);
      index.upsert(
          indexed(product(id, i % 2 == 0 ? "Even" : "Odd", "Shoes", "10", List.of(), 1), v));
      vectors.put(id, v);
    }
    index.commit("test");
    return vectors;
  }

  @Test
  void quantized_hits_are_ranked_and_scored_on_the_float_vectors(RandomSeed seed)
      throws IOException {
    for (Quantization q : Quantization.values()) {
      try (CatalogIndex index =
          CatalogIndex.openOrCreate(
              dir.resolve(q.code()), model, IndexSettings.DEFAULTS.withQuantization(q))) {
        Map<String, float[]> vectors = build(index, seed.value());
        try (IndexSnapshot snapshot = index.snapshot()) {
          IndexSearcher searcher = new IndexSearcher(snapshot.reader());
          Random queries = seed.random(3);
          int found = 0;
          for (int i = 0; i < 20; i++) {
            float[] query = unitVector(queries, DIM);
            TopDocs top =
                searcher.search(RescoringKnn.query(index.metadata(), query, 50, null), 10);
            assertEquals(10, top.scoreDocs.length, q.code());
            float previous = Float.POSITIVE_INFINITY;
            for (ScoreDoc hit : top.scoreDocs) {
              String id = productId(searcher, hit);
              // Lucene's DOT_PRODUCT score is (1 + cosine) / 2, here on the float vector.
              float exact = (1 + dot(query, vectors.get(id))) / 2;
              assertEquals(exact, hit.score, 1e-5, q.code() + " score of " + id + ", " + seed);
              assertTrue(hit.score <= previous, q.code() + " order, " + seed);
              previous = hit.score;
            }
            Set<String> truth = exactTop(vectors, query, 10);
            for (ScoreDoc hit : top.scoreDocs) {
              found += truth.contains(productId(searcher, hit)) ? 1 : 0;
            }
          }
          double recall = found / 200.0;
          assertTrue(
              recall >= 0.9, q.code() + " recall@10 " + recall + " below 0.9 (" + seed + ")");
        }
      }
    }
  }

  @Test
  void rescoring_keeps_the_product_filter(RandomSeed seed) throws IOException {
    try (CatalogIndex index =
        CatalogIndex.openOrCreate(
            dir, model, IndexSettings.DEFAULTS.withQuantization(Quantization.INT4))) {
      build(index, seed.value());
      try (IndexSnapshot snapshot = index.snapshot()) {
        IndexSearcher searcher = new IndexSearcher(snapshot.reader());
        float[] query = unitVector(seed.random(5), DIM);
        TopDocs top =
            searcher.search(
                RescoringKnn.query(
                    index.metadata(), query, 15, IndexQueries.brands(List.of("Even")), 3),
                15);
        assertEquals(15, top.scoreDocs.length);
        for (ScoreDoc hit : top.scoreDocs) {
          int number = Integer.parseInt(productId(searcher, hit).substring(1));
          assertEquals(0, number % 2, "hit " + number + " is not of brand Even (" + seed + ")");
        }
      }
    }
  }

  @Test
  void float_index_gets_the_plain_query() throws IOException {
    try (CatalogIndex index = CatalogIndex.openOrCreate(dir, model, IndexSettings.DEFAULTS)) {
      IndexMetadata metadata = index.metadata();
      float[] query = new float[DIM];
      query[0] = 1;
      assertEquals(
          IndexQueries.knn(metadata, query, 10, null),
          RescoringKnn.query(metadata, query, 10, null));
    }
  }

  @Test
  void rejects_k_or_oversample_below_one() throws IOException {
    try (CatalogIndex index = CatalogIndex.openOrCreate(dir, model, IndexSettings.DEFAULTS)) {
      float[] query = new float[DIM];
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> RescoringKnn.query(index.metadata(), query, 10, null, 0));
      assertTrue(e.getMessage().contains("oversample=0"), e.getMessage());
      assertThrows(
          IllegalArgumentException.class,
          () -> RescoringKnn.query(index.metadata(), query, 0, null));
    }
  }

  private static String productId(IndexSearcher searcher, ScoreDoc hit) throws IOException {
    int product = IndexQueries.productDoc(searcher.getIndexReader(), hit.doc);
    return searcher.storedFields().document(product).get(IndexSchema.ID);
  }

  private static Set<String> exactTop(Map<String, float[]> vectors, float[] query, int k) {
    return vectors.entrySet().stream()
        .sorted(
            Comparator.comparingDouble((Map.Entry<String, float[]> e) -> -dot(query, e.getValue())))
        .limit(k)
        .map(Map.Entry::getKey)
        .collect(Collectors.toSet());
  }
}
