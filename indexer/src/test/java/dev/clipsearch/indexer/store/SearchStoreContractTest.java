package dev.clipsearch.indexer.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.common.catalog.Product;
import dev.clipsearch.common.catalog.ProductJson;
import dev.clipsearch.indexer.testing.IndexedProducts;
import dev.clipsearch.models.ModelSpec;
import dev.clipsearch.models.testing.FakeClipModel;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SearchStore} must do, run against each implementation by a subclass that says
 * how to open one over a catalog (Lucene's {@code BaseDirectoryTestCase} habit). The catalog is
 * four products with hand-made 4-dimensional unit vectors, so every expected ranking and score is
 * known exactly:
 *
 * <ul>
 *   <li>{@code p-shoe}: Acme, Clothing > Shoes, 50.0, tag sale; image 0 = e0
 *   <li>{@code p-hat}: Acme, Clothing > Hats, 20.0; image 0 = e1, image 1 = (e0 + e1) / √2
 *   <li>{@code p-mug}: Zed, Home > Kitchen, 10.0, tag sale; image 0 = e2, no thumbnail
 *   <li>{@code p-lamp}: Zed, Home, no price; image 0 = e3, image 2 = e0 (image 1 failed at
 *       indexing, so catalog indexes have a gap)
 * </ul>
 */
public abstract class SearchStoreContractTest {

  protected static final ModelSpec MODEL = FakeClipModel.projecting("contract-model", 4).spec();

  static final float[] E0 = {1, 0, 0, 0};
  static final float[] E1 = {0, 1, 0, 0};
  static final float[] E2 = {0, 0, 1, 0};
  static final float[] E3 = {0, 0, 0, 1};
  static final float[] E01 = unit(1, 1, 0, 0);
  static final float[] E23 = unit(0, 0, 1, 1);
  static final double EPS = 1e-5;

  private final List<SearchStore> opened = new ArrayList<>();

  /**
   * Opens a store of this implementation holding {@code products} (written through the
   * implementation's own write path), for {@link #MODEL}.
   *
   * @param writable whether admin writes are allowed
   */
  protected abstract SearchStore open(
      ModelSpec model, List<IndexedProduct> products, boolean writable) throws IOException;

  /**
   * Whether a {@link StoreView} is a point in time that writes made while it is open do not change.
   * True for the embedded index (one acquired searcher). A store that cannot pin a searcher across
   * requests (SolrCloud) returns false, and the suite then checks what its views promise instead:
   * every call sees every write that returned before it.
   */
  protected boolean viewsArePointInTime() {
    return true;
  }

  @AfterEach
  void closeStores() throws IOException {
    for (SearchStore store : opened) {
      store.close();
    }
  }

  private SearchStore store(boolean writable) throws IOException {
    SearchStore store = open(MODEL, catalog(), writable);
    opened.add(store);
    return store;
  }

  private SearchStore store() throws IOException {
    return store(false);
  }

  // ---------------------------------------------------------------------------------------------
  // Catalog

  static List<IndexedProduct> catalog() {
    return List.of(
        product("p-shoe", "Red running shoe", "Acme", "Clothing > Shoes", 50.0, List.of("sale"))
            .image(0, E0)
            .build(),
        product("p-hat", "Wool hat", "Acme", "Clothing > Hats", 20.0, List.of())
            .image(0, E1)
            .image(1, E01)
            .build(),
        product("p-mug", "Coffee mug", "Zed", "Home > Kitchen", 10.0, List.of("sale"))
            .imageWithoutThumbnail(0, E2)
            .build(),
        product("p-lamp", "Desk lamp", "Zed", "Home", null, List.of())
            .image(0, E3)
            .image(2, E0)
            .build());
  }

  static Builder product(
      String id, String title, String brand, String category, Double price, List<String> tags) {
    return new Builder(id, title, brand, category, price, tags);
  }

  /** Builds an {@link IndexedProduct} with three catalog image references and chosen vectors. */
  static final class Builder {
    final Product product;
    final List<IndexedImage> images = new ArrayList<>();

    Builder(
        String id, String title, String brand, String category, Double price, List<String> tags) {
      this.product =
          new Product(
              id,
              title,
              "About " + title,
              brand,
              category,
              price == null ? null : BigDecimal.valueOf(price),
              "EUR",
              tags,
              null,
              List.of(id + "-0.jpg", id + "-1.jpg", id + "-2.jpg"),
              Map.of());
    }

    Builder image(int index, float[] vector) {
      return add(index, vector, thumbnail(product.id(), index));
    }

    Builder imageWithoutThumbnail(int index, float[] vector) {
      return add(index, vector, null);
    }

    private Builder add(int index, float[] vector, byte[] thumbnail) {
      images.add(
          new IndexedImage(
              index,
              product.images().get(index),
              "fp-" + product.id() + "-" + index,
              "sha-" + product.id() + "-" + index,
              vector.clone(),
              8,
              6,
              thumbnail));
      return this;
    }

    IndexedProduct build() {
      return IndexedProducts.indexed(product, images);
    }
  }

  static byte[] thumbnail(String id, int index) {
    return (id + "#" + index).getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  static float[] unit(float... v) {
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] / Math.sqrt(norm));
    }
    return out;
  }

  static List<String> ids(List<ProductMatch> matches) {
    return matches.stream().map(ProductMatch::productId).toList();
  }

  static ProductFilter brands(String... brands) {
    return new ProductFilter(null, List.of(brands), null, null, List.of(), null);
  }

  static ProductFilter category(String prefix) {
    return new ProductFilter(prefix, List.of(), null, null, List.of(), null);
  }

  // ---------------------------------------------------------------------------------------------
  // Identity and sizes

  @Test
  void reports_its_model_and_sizes() throws IOException {
    SearchStore store = store();
    assertEquals(MODEL.id(), store.metadata().modelId());
    assertEquals(4, store.metadata().dimension());
    assertTrue(
        store.metadata().describeModel().contains(MODEL.id()), store.metadata().describeModel());
    assertTrue(store.metadata().isCompatibleWith(MODEL));
    assertFalse(
        store.metadata().isCompatibleWith(FakeClipModel.projecting("another-model", 4).spec()));
    assertTrue(store.ready());
    StoreSizes sizes = store.sizes();
    assertEquals(4, sizes.products());
    assertEquals(6, sizes.images());
    assertTrue(sizes.bytes() > 0 || sizes.bytes() == -1, "bytes " + sizes.bytes());
  }

  // ---------------------------------------------------------------------------------------------
  // KNN

  @Test
  void knn_returns_each_product_once_scored_by_its_best_image_ties_by_id() throws IOException {
    try (StoreView view = store().view()) {
      List<ProductMatch> matches = view.knn(E0, 10, ProductFilter.NONE);
      assertEquals(List.of("p-lamp", "p-shoe", "p-hat", "p-mug"), ids(matches));
      assertEquals(1.0, matches.get(0).score(), EPS);
      assertEquals(1.0, matches.get(1).score(), EPS);
      assertEquals(Math.sqrt(0.5), matches.get(2).score(), EPS);
      assertEquals(0.0, matches.get(3).score(), EPS);
      List<MatchedProduct> loaded = view.load(matches);
      assertEquals(List.of(2, 0, 1, 0), loaded.stream().map(MatchedProduct::matchedImage).toList());
      assertEquals(ids(matches), loaded.stream().map(m -> m.match().productId()).toList());
    }
  }

  @Test
  void knn_returns_at_most_k_products() throws IOException {
    try (StoreView view = store().view()) {
      assertEquals(List.of("p-lamp", "p-shoe"), ids(view.knn(E0, 2, ProductFilter.NONE)));
    }
  }

  @Test
  void knn_applies_filters_before_taking_the_k_nearest() throws IOException {
    try (StoreView view = store().view()) {
      // p-hat is nearer to e0 than p-mug, but only Zed products may be returned.
      assertEquals(List.of("p-lamp", "p-mug"), ids(view.knn(E0, 2, brands("Zed"))));
      assertEquals(List.of("p-shoe", "p-hat"), ids(view.knn(E0, 10, category("Clothing"))));
      assertEquals(List.of("p-shoe"), ids(view.knn(E0, 10, category("Clothing>Shoes"))));
      assertEquals(List.of("p-lamp", "p-mug"), ids(view.knn(E0, 10, category("Home"))));
      assertEquals(
          List.of("p-shoe", "p-hat"),
          ids(view.knn(E0, 10, new ProductFilter(null, null, 15.0, 60.0, null, null))));
      assertEquals(
          List.of("p-mug"),
          ids(view.knn(E0, 10, new ProductFilter(null, null, null, 15.0, null, null))),
          "a product without a price matches no price range");
      assertEquals(
          List.of("p-shoe", "p-mug"),
          ids(view.knn(E0, 10, new ProductFilter(null, null, null, null, List.of("sale"), null))));
      assertEquals(
          List.of("p-shoe", "p-hat", "p-mug"),
          ids(view.knn(E0, 10, ProductFilter.NONE.excluding("p-lamp"))));
      assertEquals(
          List.of("p-mug"),
          ids(
              view.knn(
                  E0,
                  10,
                  new ProductFilter("Home", List.of("Zed"), 5.0, 15.0, List.of("sale"), null))));
    }
  }

  @Test
  void a_filter_that_matches_nothing_returns_nothing() throws IOException {
    try (StoreView view = store().view()) {
      assertTrue(view.knn(E0, 10, brands("Nobody")).isEmpty());
      assertTrue(view.knn(E0, 10, category("Garden")).isEmpty());
      assertTrue(view.lexical("shoe", 10, 10, category("Garden")).isEmpty());
      // Each condition matches products, but no product meets both.
      ProductFilter acmeAtHome = new ProductFilter("Home", List.of("Acme"), null, null, null, null);
      assertTrue(view.knn(E0, 10, acmeAtHome).isEmpty());
      assertTrue(view.lexical("acme", 10, 10, acmeAtHome).isEmpty());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Lexical and hybrid support

  @Test
  void lexical_search_ranks_by_bm25_with_filters_and_compares_no_image() throws IOException {
    try (StoreView view = store().view()) {
      List<ProductMatch> shoe = view.lexical("running shoe", 10, 10, ProductFilter.NONE);
      assertEquals(List.of("p-shoe"), ids(shoe));
      assertTrue(shoe.get(0).score() > 0);
      assertFalse(shoe.get(0).hasImage());
      assertNull(view.load(shoe).get(0).matchedImage());
      // Equal BM25 scores (the brand alone matches) are ordered by product id.
      assertEquals(
          List.of("p-hat", "p-shoe"), ids(view.lexical("acme", 10, 10, ProductFilter.NONE)));
      assertEquals(
          List.of("p-hat"), ids(view.lexical("acme", 10, 10, category("Clothing > Hats"))));
      assertEquals(List.of("p-hat"), ids(view.lexical("acme", 10, 1, ProductFilter.NONE)));
      assertTrue(view.lexical("!!!", 10, 10, ProductFilter.NONE).isEmpty());
    }
  }

  @Test
  void lexical_search_uses_at_most_max_terms_of_the_text() throws IOException {
    try (StoreView view = store().view()) {
      assertEquals(
          List.of("p-lamp", "p-mug"), ids(view.lexical("zed acme", 1, 10, ProductFilter.NONE)));
      assertEquals(4, view.lexical("zed acme", 2, 10, ProductFilter.NONE).size());
    }
  }

  @Test
  void best_image_scores_a_lexical_match_exactly_by_its_nearest_image() throws IOException {
    try (StoreView view = store().view()) {
      ProductMatch lamp = view.lexical("lamp", 10, 10, ProductFilter.NONE).get(0);
      ProductMatch scored = view.bestImage(lamp, E0);
      assertEquals("p-lamp", scored.productId());
      assertEquals(1.0, scored.score(), EPS);
      assertEquals(2, view.load(List.of(scored)).get(0).matchedImage());
      ProductMatch hat = view.bestImage(view.lexical("hat", 10, 10, ProductFilter.NONE).get(0), E0);
      assertEquals(Math.sqrt(0.5), hat.score(), EPS);
      assertEquals(1, view.load(List.of(hat)).get(0).matchedImage());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Facets

  @Test
  void facets_count_brands_and_every_level_of_the_category_path() throws IOException {
    try (StoreView view = store().view()) {
      List<ProductMatch> all = view.knn(E0, 10, ProductFilter.NONE);
      FacetCounts counts = view.facets(all, List.of(FacetCounts.BRAND, FacetCounts.CATEGORY), 10);
      assertEquals(
          List.of(new FacetValue("Acme", 2), new FacetValue("Zed", 2)),
          counts.get(FacetCounts.BRAND));
      assertEquals(
          List.of(
              new FacetValue("Clothing", 2),
              new FacetValue("Home", 2),
              new FacetValue("Clothing > Hats", 1),
              new FacetValue("Clothing > Shoes", 1),
              new FacetValue("Home > Kitchen", 1)),
          counts.get(FacetCounts.CATEGORY));
      assertTrue(counts.get("attr.color").isEmpty(), "a facet not asked for has no counts");
      FacetCounts two = view.facets(all.subList(0, 2), List.of(FacetCounts.CATEGORY), 2);
      assertEquals(
          List.of(new FacetValue("Clothing", 1), new FacetValue("Clothing > Shoes", 1)),
          two.get(FacetCounts.CATEGORY));
      assertTrue(view.facets(List.of(), List.of(FacetCounts.BRAND), 10).get("brand").isEmpty());
    }
  }

  /** The catalog with zero-shot attributes on three of its products. */
  static List<IndexedProduct> taggedCatalog() {
    List<IndexedProduct> products = catalog();
    return List.of(
        products.get(0).withFacetAttributes(Map.of("color", "red", "material", "leather")),
        products.get(1).withFacetAttributes(Map.of("color", "red")),
        products.get(2).withFacetAttributes(Map.of("color", "blue", "material", "ceramic")),
        products.get(3));
  }

  static ProductFilter attributes(Map<String, List<String>> attributes) {
    return ProductFilter.NONE.withAttributes(attributes);
  }

  @Test
  void attribute_facets_are_listed_and_counted_like_any_facet() throws IOException {
    SearchStore store = open(MODEL, taggedCatalog(), false);
    opened.add(store);
    try (StoreView view = store.view()) {
      assertEquals(List.of("attr.color", "attr.material"), view.attributeFacets());
      List<ProductMatch> all = view.knn(E0, 10, ProductFilter.NONE);
      FacetCounts counts = view.facets(all, view.attributeFacets(), 10);
      assertEquals(
          List.of(new FacetValue("red", 2), new FacetValue("blue", 1)), counts.get("attr.color"));
      assertEquals(
          List.of(new FacetValue("ceramic", 1), new FacetValue("leather", 1)),
          counts.get("attr.material"));
      assertTrue(view.facets(all, List.of("attr.shape"), 10).get("attr.shape").isEmpty());
    }
    try (StoreView view = store().view()) {
      assertEquals(List.of(), view.attributeFacets(), "an untagged store has no attribute facet");
    }
  }

  @Test
  void a_stored_product_has_its_zero_shot_attributes() throws IOException {
    SearchStore store = open(MODEL, taggedCatalog(), false);
    opened.add(store);
    try (StoreView view = store.view()) {
      assertEquals(
          Map.of("color", "red", "material", "leather"),
          view.product("p-shoe").orElseThrow().facetAttributes());
      assertEquals(Map.of("color", "red"), view.product("p-hat").orElseThrow().facetAttributes());
      assertEquals(Map.of(), view.product("p-lamp").orElseThrow().facetAttributes());
    }
  }

  @Test
  void attribute_filters_apply_to_knn_and_lexical_search() throws IOException {
    SearchStore store = open(MODEL, taggedCatalog(), false);
    opened.add(store);
    try (StoreView view = store.view()) {
      assertEquals(
          List.of("p-shoe", "p-hat"),
          ids(view.knn(E0, 10, attributes(Map.of("color", List.of("red"))))));
      assertEquals(
          Set.of("p-shoe", "p-hat", "p-mug"),
          Set.copyOf(ids(view.knn(E0, 10, attributes(Map.of("color", List.of("red", "blue")))))));
      assertEquals(
          List.of("p-shoe"),
          ids(
              view.knn(
                  E2,
                  10,
                  attributes(Map.of("color", List.of("red"), "material", List.of("leather"))))));
      assertEquals(List.of(), ids(view.knn(E0, 10, attributes(Map.of("color", List.of("green"))))));
      assertEquals(
          List.of("p-mug"),
          ids(view.lexical("mug shoe", 10, 10, attributes(Map.of("color", List.of("blue"))))));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Lookups

  @Test
  void a_stored_product_has_its_json_and_images_with_catalog_index_and_source() throws IOException {
    IndexedProduct lamp = catalog().get(3);
    try (StoreView view = store().view()) {
      ProductRecord stored = view.product("p-lamp").orElseThrow();
      assertEquals("p-lamp", stored.id());
      assertEquals(lamp.json(), stored.json());
      assertEquals(List.of(0, 2), stored.images().stream().map(ImageRecord::index).toList());
      assertEquals(
          List.of("p-lamp-0.jpg", "p-lamp-2.jpg"),
          stored.images().stream().map(ImageRecord::source).toList());
      assertEquals(
          stored.images(), view.images("p-lamp").orElseThrow(), "images without the JSON agree");
      List<MatchedProduct> loaded = view.load(view.knn(E3, 1, ProductFilter.NONE));
      assertEquals(
          ProductJson.summary(lamp.json()),
          ProductJson.summary(loaded.get(0).json()),
          "a page's display fields");
      assertTrue(List.of(0, 2).contains(loaded.get(0).matchedImage()), loaded.toString());
      assertTrue(view.contains("p-lamp"));
    }
  }

  @Test
  void thumbnails_are_the_stored_bytes_and_absent_when_none_was_stored() throws IOException {
    try (StoreView view = store().view()) {
      ImageRecord second = view.images("p-lamp").orElseThrow().get(1);
      Thumbnail thumbnail = view.thumbnail(second).orElseThrow();
      assertArrayEquals(thumbnail("p-lamp", 2), thumbnail.bytes());
      assertEquals("image/jpeg", thumbnail.mediaType());
      assertTrue(view.thumbnail(view.images("p-mug").orElseThrow().get(0)).isEmpty());
    }
  }

  @Test
  void image_vectors_are_the_stored_vectors_in_catalog_order() throws IOException {
    try (StoreView view = store().view()) {
      List<float[]> vectors = view.imageVectors("p-hat").orElseThrow();
      assertEquals(2, vectors.size());
      assertArrayEquals(E1, vectors.get(0), 1e-6f);
      assertArrayEquals(E01, vectors.get(1), 1e-6f);
    }
  }

  @Test
  void missing_ids_are_absent_everywhere() throws IOException {
    try (StoreView view = store().view()) {
      assertFalse(view.contains("nope"));
      assertTrue(view.product("nope").isEmpty());
      assertTrue(view.images("nope").isEmpty());
      assertTrue(view.imageVectors("nope").isEmpty());
      assertEquals(
          List.of("p-lamp", "p-shoe", "p-hat", "p-mug"),
          ids(view.knn(E0, 10, ProductFilter.NONE.excluding("nope"))));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Admin writes

  @Test
  void an_upsert_is_visible_to_the_next_view_and_replaces_the_whole_product() throws IOException {
    SearchStore store = store(true);
    assertTrue(store.writable());
    try (StoreView before = store.view()) {
      store.upsert(
          product("p-coat", "Rain coat", "Drip", "Clothing > Coats", 80.0, List.of())
              .image(0, E23)
              .build());
      if (viewsArePointInTime()) {
        assertFalse(before.contains("p-coat"), "an open view keeps its point in time");
      } else {
        assertTrue(before.contains("p-coat"), "a call sees every write that returned before it");
      }
    }
    try (StoreView view = store.view()) {
      ProductMatch top = view.knn(E23, 1, ProductFilter.NONE).get(0);
      assertEquals("p-coat", top.productId());
      assertEquals(1.0, top.score(), EPS);
      assertEquals(List.of("p-coat"), ids(view.lexical("coat", 10, 10, ProductFilter.NONE)));
    }
    assertEquals(5, store.sizes().products());

    store.upsert(
        product("p-shoe", "Blue sandal", "Acme", "Clothing > Shoes", 30.0, List.of())
            .image(0, E2)
            .image(1, E3)
            .build());
    try (StoreView view = store.view()) {
      assertTrue(view.product("p-shoe").orElseThrow().json().contains("Blue sandal"));
      assertEquals(2, view.images("p-shoe").orElseThrow().size());
      assertTrue(view.lexical("running", 10, 10, ProductFilter.NONE).isEmpty(), "old text gone");
      assertEquals(
          List.of("p-lamp", "p-hat"), ids(view.knn(E0, 2, ProductFilter.NONE)), "old vector gone");
    }
    assertEquals(5, store.sizes().products());
    assertEquals(8, store.sizes().images());
  }

  @Test
  void a_delete_is_visible_to_the_next_view_and_says_whether_the_product_was_there()
      throws IOException {
    SearchStore store = store(true);
    assertTrue(store.delete("p-lamp"));
    assertFalse(store.delete("p-lamp"));
    assertFalse(store.delete("nope"));
    try (StoreView view = store.view()) {
      assertFalse(view.contains("p-lamp"));
      assertEquals(List.of("p-shoe", "p-hat", "p-mug"), ids(view.knn(E0, 10, ProductFilter.NONE)));
      assertTrue(view.lexical("lamp", 10, 10, ProductFilter.NONE).isEmpty());
    }
    assertEquals(3, store.sizes().products());
    assertEquals(4, store.sizes().images());
  }

  @Test
  void a_read_only_store_refuses_writes_saying_so() throws IOException {
    SearchStore store = store(false);
    assertFalse(store.writable());
    IndexedProduct coat =
        product("p-coat", "Rain coat", "Drip", "Clothing", 80.0, List.of()).image(0, E23).build();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.upsert(coat));
    assertTrue(e.getMessage().contains("read-only"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> store.delete("p-shoe"));
    try (StoreView view = store.view()) {
      assertFalse(view.contains("p-coat"));
      assertTrue(view.contains("p-shoe"));
    }
  }
}
