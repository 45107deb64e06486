package dev.clipsearch.indexer.index.search;

import dev.clipsearch.common.catalog.Product;
import dev.clipsearch.indexer.index.IndexSchema;
import dev.clipsearch.indexer.store.FacetCounts;
import dev.clipsearch.indexer.store.FacetValue;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedSetDocValues;

/**
 * Counts facets over a set of matching product documents, from doc values: {@link
 * FacetCounts#BRAND} from the brand keyword, {@link FacetCounts#CATEGORY} from the category path,
 * where a product in {@code A > B > C} counts for {@code A}, {@code A > B} and {@code A > B > C},
 * and each {@code attr.<name>} from its attribute's keyword field.
 *
 * <p>Counting is by ordinal: each segment's documents are read in doc order, their ordinals
 * counted, and each distinct value is turned into a string once, in ordinal order (which the terms
 * dictionary reads fastest), so a facet over a hundred products of a few brands reads a few terms,
 * not a hundred. A document listed twice counts twice.
 */
final class FacetCounter {

  private FacetCounter() {}

  /**
   * @param productDocs top-level product doc ids of {@code reader}
   * @throws IllegalArgumentException for a facet name this index does not know
   */
  static FacetCounts count(IndexReader reader, int[] productDocs, List<String> facets, int limit)
      throws IOException {
    int[] sorted = productDocs.clone();
    Arrays.sort(sorted);
    Map<String, List<FacetValue>> out = new LinkedHashMap<>();
    for (String facet : facets) {
      Map<String, Integer> counts =
          switch (facet) {
            case FacetCounts.BRAND -> valueCounts(reader, sorted, IndexSchema.BRAND);
            case FacetCounts.CATEGORY -> {
              Map<String, Integer> paths = new HashMap<>();
              valueCounts(reader, sorted, IndexSchema.CATEGORY)
                  .forEach(
                      (category, count) -> {
                        for (String path : Product.ancestorsOf(category)) {
                          paths.merge(path, count, Integer::sum);
                        }
                      });
              yield paths;
            }
            default -> {
              if (!facet.startsWith(FacetCounts.ATTRIBUTE_PREFIX)) {
                throw new IllegalArgumentException("unknown facet '" + facet + "'");
              }
              // attr.<name>: the keyword field has the facet's name (absent: nothing counts)
              yield valueCounts(reader, sorted, facet);
            }
          };
      out.put(facet, top(counts, limit));
    }
    return new FacetCounts(out);
  }

  /**
   * How many of {@code sortedDocs} (top-level doc ids, ascending) hold each value of a keyword
   * field (its first value, as {@link ProductReader#keywords} reads it).
   */
  static Map<String, Integer> valueCounts(IndexReader reader, int[] sortedDocs, String field)
      throws IOException {
    Map<String, Integer> counts = new HashMap<>();
    List<LeafReaderContext> leaves = reader.leaves();
    long[] ords = new long[sortedDocs.length];
    int i = 0;
    while (i < sortedDocs.length) {
      LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(sortedDocs[i], leaves));
      int end = leaf.docBase + leaf.reader().maxDoc();
      SortedSetDocValues values = leaf.reader().getSortedSetDocValues(field);
      int found = 0;
      int lastDoc = -1;
      long lastOrd = -1;
      for (; i < sortedDocs.length && sortedDocs[i] < end; i++) {
        int local = sortedDocs[i] - leaf.docBase;
        if (local != lastDoc) { // the same document twice: doc values cannot go back
          lastOrd = values != null && values.advanceExact(local) ? values.nextOrd() : -1;
          lastDoc = local;
        }
        if (lastOrd >= 0) {
          ords[found++] = lastOrd;
        }
      }
      Arrays.sort(ords, 0, found);
      for (int at = 0; at < found; ) {
        int run = at + 1;
        while (run < found && ords[run] == ords[at]) {
          run++;
        }
        counts.merge(values.lookupOrd(ords[at]).utf8ToString(), run - at, Integer::sum);
        at = run;
      }
    }
    return counts;
  }

  private static List<FacetValue> top(Map<String, Integer> counts, int limit) {
    List<FacetValue> out = new ArrayList<>(counts.size());
    counts.forEach((value, count) -> out.add(new FacetValue(value, count)));
    out.sort(
        Comparator.comparingInt(FacetValue::count).reversed().thenComparing(FacetValue::value));
    return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
  }
}
