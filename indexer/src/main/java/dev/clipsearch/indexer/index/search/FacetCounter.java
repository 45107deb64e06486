package dev.clipsearch.indexer.index.search;

import dev.clipsearch.common.catalog.Product;
import dev.clipsearch.indexer.index.IndexSchema;
import dev.clipsearch.indexer.store.FacetCounts;
import dev.clipsearch.indexer.store.FacetValue;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.IndexReader;

/**
 * Counts facets over a set of matching product documents, from doc values: {@link
 * FacetCounts#BRAND} from the brand keyword, {@link FacetCounts#CATEGORY} from the category path,
 * where a product in {@code A > B > C} counts for {@code A}, {@code A > B} and {@code A > B > C},
 * and each {@code attr.<name>} from its attribute's keyword field.
 */
final class FacetCounter {

  private FacetCounter() {}

  /**
   * @param productDocs top-level product doc ids of {@code reader}
   * @throws IllegalArgumentException for a facet name this index does not know
   */
  static FacetCounts count(IndexReader reader, int[] productDocs, List<String> facets, int limit)
      throws IOException {
    Map<String, List<FacetValue>> out = new LinkedHashMap<>();
    for (String facet : facets) {
      Map<String, Integer> counts = new HashMap<>();
      switch (facet) {
        case FacetCounts.BRAND -> {
          for (String brand : ProductReader.keywords(reader, productDocs, IndexSchema.BRAND)) {
            if (brand != null) {
              counts.merge(brand, 1, Integer::sum);
            }
          }
        }
        case FacetCounts.CATEGORY -> {
          for (String category :
              ProductReader.keywords(reader, productDocs, IndexSchema.CATEGORY)) {
            if (category != null) {
              for (String path : Product.ancestorsOf(category)) {
                counts.merge(path, 1, Integer::sum);
              }
            }
          }
        }
        default -> {
          if (!facet.startsWith(FacetCounts.ATTRIBUTE_PREFIX)) {
            throw new IllegalArgumentException("unknown facet '" + facet + "'");
          }
          // attr.<name>: the keyword field has the facet's name (absent: nothing counts)
          for (String value : ProductReader.keywords(reader, productDocs, facet)) {
            if (value != null) {
              counts.merge(value, 1, Integer::sum);
            }
          }
        }
      }
      out.put(facet, top(counts, limit));
    }
    return new FacetCounts(out);
  }

  private static List<FacetValue> top(Map<String, Integer> counts, int limit) {
    List<FacetValue> out = new ArrayList<>(counts.size());
    counts.forEach((value, count) -> out.add(new FacetValue(value, count)));
    out.sort(
        Comparator.comparingInt(FacetValue::count).reversed().thenComparing(FacetValue::value));
    return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
  }
}
