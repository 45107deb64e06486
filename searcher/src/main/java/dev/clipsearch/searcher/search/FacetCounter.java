package dev.clipsearch.searcher.search;

import dev.clipsearch.common.catalog.Product;
import dev.clipsearch.indexer.index.IndexSchema;
import dev.clipsearch.searcher.service.FacetCount;
import dev.clipsearch.searcher.service.Facets;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.IndexReader;

/**
 * Counts brands and categories over a set of matching products, from doc values. A product in
 * {@code A > B > C} counts for {@code A}, {@code A > B} and {@code A > B > C}, so a client can draw
 * the category tree at any depth.
 */
final class FacetCounter {

  private final int limit;

  FacetCounter(int limit) {
    this.limit = limit;
  }

  Facets count(IndexReader reader, List<Candidate> matches) throws IOException {
    int[] docs = matches.stream().mapToInt(Candidate::productDoc).toArray();
    Map<String, Integer> brands = new HashMap<>();
    for (String brand : ProductReader.keywords(reader, docs, IndexSchema.BRAND)) {
      if (brand != null) {
        brands.merge(brand, 1, Integer::sum);
      }
    }
    Map<String, Integer> categories = new HashMap<>();
    for (String category : ProductReader.keywords(reader, docs, IndexSchema.CATEGORY)) {
      if (category != null) {
        for (String path : Product.ancestorsOf(category)) {
          categories.merge(path, 1, Integer::sum);
        }
      }
    }
    return new Facets(top(categories), top(brands));
  }

  private List<FacetCount> top(Map<String, Integer> counts) {
    List<FacetCount> out = new ArrayList<>(counts.size());
    counts.forEach((value, count) -> out.add(new FacetCount(value, count)));
    out.sort(
        Comparator.comparingInt(FacetCount::count).reversed().thenComparing(FacetCount::value));
    return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
  }
}
