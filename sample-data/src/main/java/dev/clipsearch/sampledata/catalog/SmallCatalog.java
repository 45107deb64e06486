package dev.clipsearch.sampledata.catalog;

import dev.clipsearch.common.catalog.Product;
import dev.clipsearch.common.io.Digests;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Picks the small catalog for tests and quick demos: a fixed number of products spread evenly over
 * the categories. Categories take turns in name order, each giving its next product in a seeded (by
 * id) order, until enough are picked; the result keeps the full catalog's order.
 */
public final class SmallCatalog {

  private SmallCatalog() {}

  /** Up to {@code size} products of {@code products}, spread over their categories. */
  public static List<Product> select(List<Product> products, int size) {
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative: " + size);
    }
    Map<String, Deque<Product>> byCategory = new TreeMap<>();
    products.stream()
        .sorted(
            Comparator.comparing((Product p) -> Digests.sha256Hex("small\0" + p.id()))
                .thenComparing(Product::id))
        .forEach(p -> byCategory.computeIfAbsent(p.category(), c -> new ArrayDeque<>()).add(p));
    Set<String> picked = new HashSet<>();
    while (picked.size() < size && !byCategory.isEmpty()) {
      var turns = byCategory.entrySet().iterator();
      while (turns.hasNext() && picked.size() < size) {
        Deque<Product> queue = turns.next().getValue();
        picked.add(queue.removeFirst().id());
        if (queue.isEmpty()) {
          turns.remove();
        }
      }
    }
    List<Product> selection = new ArrayList<>(picked.size());
    for (Product p : products) {
      if (picked.contains(p.id())) {
        selection.add(p);
      }
    }
    return selection;
  }
}
