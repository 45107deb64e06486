package dev.clipsearch.indexer.index.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.common.catalog.Product;
import dev.clipsearch.indexer.index.IndexSchema;
import dev.clipsearch.indexer.store.FacetCounts;
import dev.clipsearch.indexer.store.FacetValue;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KeywordField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.junit.jupiter.api.Test;

/**
 * Facet counting by ordinal and the doc-ordered keyword reads, against a count made the plain way
 * (one value per listed document, straight from the catalog), over several segments, documents
 * without a value, documents listed twice and in any order.
 */
class FacetCounterTest {

  private static final long SEED = 20261203L;

  /** The catalog behind each doc id: brand and category, either may be missing. */
  private record Row(String brand, String category) {}

  @Test
  void counts_by_ordinal_match_a_count_per_listed_document_across_segments() throws IOException {
    SplittableRandom random = new SplittableRandom(SEED);
    try (Directory dir = new ByteBuffersDirectory()) {
      List<Row> rows = write(dir, random, 600, 4);
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        assertTrue(reader.leaves().size() > 1, "the index must span several segments");
        for (int round = 0; round < 20; round++) {
          int[] docs = new int[1 + random.nextInt(150)];
          for (int i = 0; i < docs.length; i++) {
            docs[i] = random.nextInt(reader.maxDoc()); // any order, repeats allowed
          }
          FacetCounts counts =
              FacetCounter.count(
                  reader, docs, List.of(FacetCounts.BRAND, FacetCounts.CATEGORY), 1000);
          assertEquals(expected(docs, rows, false), counts.get(FacetCounts.BRAND), "seed " + SEED);
          assertEquals(
              expected(docs, rows, true), counts.get(FacetCounts.CATEGORY), "seed " + SEED);
          FacetCounts top3 = FacetCounter.count(reader, docs, List.of(FacetCounts.BRAND), 3);
          List<FacetValue> all = expected(docs, rows, false);
          assertEquals(all.subList(0, Math.min(3, all.size())), top3.get(FacetCounts.BRAND));
        }
      }
    }
  }

  @Test
  void keywords_are_aligned_with_the_listed_documents_whatever_their_order() throws IOException {
    SplittableRandom random = new SplittableRandom(SEED + 1);
    try (Directory dir = new ByteBuffersDirectory()) {
      List<Row> rows = write(dir, random, 300, 3);
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        int[] docs = new int[200];
        for (int i = 0; i < docs.length; i++) {
          docs[i] = random.nextInt(reader.maxDoc());
        }
        docs[1] = docs[0]; // a document listed twice in a row
        String[] brands = ProductReader.keywords(reader, docs, IndexSchema.BRAND);
        for (int i = 0; i < docs.length; i++) {
          assertEquals(rows.get(docs[i]).brand(), brands[i], "doc " + docs[i] + ", seed " + SEED);
        }
        Row missing = rows.stream().filter(r -> r.brand() == null).findFirst().orElseThrow();
        int missingDoc = rows.indexOf(missing);
        assertNull(ProductReader.keywords(reader, new int[] {missingDoc}, IndexSchema.BRAND)[0]);
      }
    }
  }

  /** Writes {@code n} documents in {@code segments} flushed segments, some without a value. */
  private static List<Row> write(Directory dir, SplittableRandom random, int n, int segments)
      throws IOException {
    List<Row> rows = new ArrayList<>();
    IndexWriterConfig config = new IndexWriterConfig().setMergePolicy(NoMergePolicy.INSTANCE);
    try (IndexWriter writer = new IndexWriter(dir, config)) {
      for (int i = 0; i < n; i++) {
        String brand = random.nextInt(10) == 0 ? null : "brand" + random.nextInt(12);
        String category =
            random.nextInt(10) == 0
                ? null
                : "Dept" + random.nextInt(3) + " > Aisle" + random.nextInt(4);
        Document doc = new Document();
        if (brand != null) {
          doc.add(new KeywordField(IndexSchema.BRAND, brand, Field.Store.NO));
        }
        if (category != null) {
          doc.add(new KeywordField(IndexSchema.CATEGORY, category, Field.Store.NO));
        }
        writer.addDocument(doc);
        rows.add(new Row(brand, category));
        if ((i + 1) % (n / segments) == 0) {
          writer.flush();
        }
      }
      writer.commit();
    }
    return rows;
  }

  /** One count per listed document, categories for every ancestor; most first, then by value. */
  private static List<FacetValue> expected(int[] docs, List<Row> rows, boolean category) {
    Map<String, Integer> counts = new HashMap<>();
    for (int doc : docs) {
      Row row = rows.get(doc);
      String value = category ? row.category() : row.brand();
      if (value == null) {
        continue;
      }
      for (String v : category ? Product.ancestorsOf(value) : List.of(value)) {
        counts.merge(v, 1, Integer::sum);
      }
    }
    List<FacetValue> out = new ArrayList<>();
    counts.forEach((v, c) -> out.add(new FacetValue(v, c)));
    out.sort(
        Comparator.comparingInt(FacetValue::count).reversed().thenComparing(FacetValue::value));
    return out;
  }
}
