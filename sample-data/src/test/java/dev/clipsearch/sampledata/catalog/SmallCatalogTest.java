package dev.clipsearch.sampledata.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.common.catalog.Product;
import dev.clipsearch.models.testing.RandomSeed;
import dev.clipsearch.models.testing.TestProducts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RandomSeed.Extension.class)
class SmallCatalogTest {

  /** Products in {@code categories} categories of random sizes 1..40. */
  private static List<Product> catalog(long seed, int categories) {
    Random random = new Random(seed);
    List<Product> products = new ArrayList<>();
    for (int c = 0; c < categories; c++) {
      int n = 1 + random.nextInt(40);
      for (int i = 0; i < n; i++) {
        products.add(TestProducts.product("c" + c + "-p" + i, "Dept > Category " + c));
      }
    }
    return products;
  }

  @Test
  void every_category_is_represented_and_none_gets_more_than_one_extra_turn(RandomSeed seed) {
    List<Product> all = catalog(seed.value(), 30);
    int size = 100;

    List<Product> small = SmallCatalog.select(all, size);

    assertEquals(Math.min(size, all.size()), small.size(), seed.toString());
    Map<String, Long> perCategory =
        small.stream().collect(Collectors.groupingBy(Product::category, Collectors.counting()));
    Map<String, Long> available =
        all.stream().collect(Collectors.groupingBy(Product::category, Collectors.counting()));
    assertEquals(available.keySet(), perCategory.keySet(), seed.toString());
    long most = perCategory.values().stream().mapToLong(Long::longValue).max().orElseThrow();
    for (Map.Entry<String, Long> c : perCategory.entrySet()) {
      boolean exhausted = c.getValue().equals(available.get(c.getKey()));
      assertTrue(
          exhausted || c.getValue() >= most - 1,
          seed + ": " + c.getKey() + " got " + c.getValue() + ", most " + most);
    }
  }

  @Test
  void the_selection_is_deterministic_and_keeps_catalog_order() {
    List<Product> all = catalog(42, 12);

    List<Product> small = SmallCatalog.select(all, 50);

    assertEquals(small, SmallCatalog.select(new ArrayList<>(all), 50));
    List<Product> inCatalogOrder = new ArrayList<>(all);
    inCatalogOrder.retainAll(small);
    assertEquals(inCatalogOrder, small);
  }

  @Test
  void asking_for_more_than_there_is_gives_everything() {
    List<Product> all = catalog(7, 3);
    assertEquals(all, SmallCatalog.select(all, all.size() + 10));
  }
}
