package dev.clipsearch.searcher.search;

import static dev.clipsearch.searcher.testing.TestCatalog.item;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.indexer.index.ModelMismatchException;
import dev.clipsearch.indexer.index.search.LuceneSearchStore;
import dev.clipsearch.models.testing.Colors;
import dev.clipsearch.models.testing.FakeClipModel;
import dev.clipsearch.models.testing.RandomSeed;
import dev.clipsearch.searcher.encode.EncoderSettings;
import dev.clipsearch.searcher.encode.QueryEncoder;
import dev.clipsearch.searcher.metrics.ServerMetrics;
import dev.clipsearch.searcher.service.Classification;
import dev.clipsearch.searcher.service.ClassifyRequest;
import dev.clipsearch.searcher.service.ComposedSearch;
import dev.clipsearch.searcher.service.FacetCount;
import dev.clipsearch.searcher.service.Facets;
import dev.clipsearch.searcher.service.Hit;
import dev.clipsearch.searcher.service.ImageSearch;
import dev.clipsearch.searcher.service.InvalidImageException;
import dev.clipsearch.searcher.service.InvalidQueryException;
import dev.clipsearch.searcher.service.ProductDetails;
import dev.clipsearch.searcher.service.ProductFields;
import dev.clipsearch.searcher.service.ProductNotFoundException;
import dev.clipsearch.searcher.service.ProductUpload;
import dev.clipsearch.searcher.service.QueryPart;
import dev.clipsearch.searcher.service.SearchFilters;
import dev.clipsearch.searcher.service.SearchMode;
import dev.clipsearch.searcher.service.SearchOptions;
import dev.clipsearch.searcher.service.SearchResult;
import dev.clipsearch.searcher.service.SimilarSearch;
import dev.clipsearch.searcher.service.TextSearch;
import dev.clipsearch.searcher.service.UpsertResult;
import dev.clipsearch.searcher.testing.FakeImageProcessor;
import dev.clipsearch.searcher.testing.TestCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The search service and admin over the Lucene store, on a small index of solid-colour products and
 * a fake model.
 */
@ExtendWith(RandomSeed.Extension.class)
class LuceneSearchServiceTest {

  static final List<TestCatalog.Item> CATALOG = TestCatalog.SHOP;

  @TempDir Path dir;
  final FakeClipModel model = new FakeClipModel();
  LuceneSearchStore index;
  QueryEncoder encoder;
  StoreSearchService service;
  StoreCatalogAdmin admin;

  @BeforeEach
  void open() throws IOException {
    TestCatalog.write(dir.resolve("index"), model, CATALOG);
    start(SearchSettings.defaults().withImagesRoot(dir.resolve("catalog")), true);
  }

  void start(SearchSettings settings, boolean writable) throws IOException {
    ServerMetrics metrics = new ServerMetrics();
    index =
        LuceneSearchStore.open(dir.resolve("index"), model.spec(), writable, Duration.ofMillis(50));
    encoder =
        new QueryEncoder(
            model,
            new FakeImageProcessor(1L << 24, false),
            new FakeImageProcessor(1L << 24, true),
            EncoderSettings.defaults(2),
            metrics);
    service = new StoreSearchService(index, encoder, settings, metrics);
    admin = new StoreCatalogAdmin(index, encoder);
  }

  @AfterEach
  void close() throws IOException {
    encoder.close();
    index.close();
  }

  private SearchResult text(String q, SearchMode mode, SearchOptions options) {
    return service.search(new TextSearch(q, mode, options));
  }

  private static SearchOptions filtered(int k, SearchFilters filters) {
    return new SearchOptions(filters, k, 0, null);
  }

  private static List<String> ids(SearchResult result) {
    return result.hits().stream().map(Hit::id).toList();
  }

  @Test
  void vector_search_ranks_by_cosine_and_breaks_ties_by_product_id() {
    SearchResult result = text("red", SearchMode.VECTOR, SearchOptions.firstPage(3));
    assertEquals(
        List.of("p-red-hat", "p-red-shoe"), ids(result).subList(0, 2), ids(result).toString());
    assertEquals(1.0, result.hits().get(0).score(), 1e-5);
    assertEquals(result.hits().get(0).score(), result.hits().get(1).score(), 0.0);
    assertTrue(result.hits().get(2).score() < 0.9, result.hits().toString());
    assertEquals(3, result.hits().size());
    assertTrue(result.paging().hasMore());
  }

  @Test
  void a_product_appears_once_scored_by_its_best_image_which_is_named() {
    SearchResult yellow = text("yellow", SearchMode.VECTOR, SearchOptions.firstPage(8));
    assertEquals("p-kite", yellow.hits().get(0).id());
    assertEquals(1, yellow.hits().get(0).matchedImage());
    assertEquals(1, ids(yellow).stream().filter("p-kite"::equals).count());
    SearchResult green = text("green", SearchMode.VECTOR, SearchOptions.firstPage(8));
    assertEquals("p-kite", green.hits().get(0).id());
    assertEquals(0, green.hits().get(0).matchedImage());
    assertEquals(CATALOG.size(), green.hits().size(), "every product once: " + ids(green));
  }

  @Test
  void hits_carry_display_fields_from_the_stored_product() {
    Hit hit = text("red", SearchMode.VECTOR, SearchOptions.firstPage(2)).hits().get(1);
    assertEquals("p-red-shoe", hit.id());
    assertEquals("Red running shoe", hit.title());
    assertEquals(59.0, hit.price());
    assertEquals("EUR", hit.currency());
    assertEquals("Clothing > Shoes > Sneakers", hit.category());
    assertEquals("Acme", hit.brand());
  }

  @Test
  void filters_restrict_by_category_prefix_brand_price_and_tags() {
    assertEquals(
        List.of("p-red-shoe", "p-blue-shoe"),
        ids(
            text(
                "red",
                SearchMode.VECTOR,
                filtered(10, new SearchFilters("Clothing > Shoes", null, null, null, null)))));
    assertEquals(
        List.of("p-red-hat"),
        ids(
            text(
                "red",
                SearchMode.VECTOR,
                filtered(10, new SearchFilters(null, List.of("Hatco"), null, null, null)))));
    assertEquals(
        List.of("p-ball", "p-black-mug", "p-white-mug"),
        ids(
                text(
                    "red",
                    SearchMode.VECTOR,
                    filtered(10, new SearchFilters(null, null, null, 10.0, null))))
            .stream()
            .sorted()
            .toList());
    assertEquals(
        List.of("p-ball", "p-black-mug", "p-red-shoe"),
        ids(
                text(
                    "red",
                    SearchMode.VECTOR,
                    filtered(10, new SearchFilters(null, null, null, null, List.of("sale")))))
            .stream()
            .sorted()
            .toList());
    assertEquals(
        List.of("p-red-shoe"),
        ids(
            text(
                "red",
                SearchMode.VECTOR,
                filtered(
                    10,
                    new SearchFilters("Clothing", List.of("Acme"), 50.0, 60.0, List.of("sale"))))));
  }

  @Test
  void a_filter_that_matches_nothing_returns_no_hits() {
    SearchResult result =
        text(
            "red",
            SearchMode.HYBRID,
            filtered(10, new SearchFilters("Garden", null, null, null, null)));
    assertTrue(result.hits().isEmpty());
    assertFalse(result.paging().hasMore());
    assertTrue(result.facets().brands().isEmpty());
  }

  @Test
  void min_score_cuts_the_tail() {
    SearchResult result =
        text("red", SearchMode.VECTOR, new SearchOptions(SearchFilters.NONE, 10, 0, 0.9));
    assertEquals(List.of("p-red-hat", "p-red-shoe"), ids(result));
    assertFalse(result.paging().hasMore());
  }

  @Test
  void pages_concatenate_to_the_full_ranking() {
    List<String> full = ids(text("shoe", SearchMode.HYBRID, SearchOptions.firstPage(8)));
    List<String> paged = new ArrayList<>();
    for (int offset = 0; offset < 8; offset += 3) {
      SearchResult page =
          text("shoe", SearchMode.HYBRID, new SearchOptions(SearchFilters.NONE, 3, offset, null));
      assertEquals(offset + 3 < 8, page.paging().hasMore(), "offset " + offset);
      paged.addAll(ids(page));
    }
    assertEquals(full, paged);
  }

  @Test
  void facets_count_the_products_matching_the_query_and_filters() {
    SearchResult result =
        text("red", SearchMode.VECTOR, new SearchOptions(SearchFilters.NONE, 1, 0, 0.9));
    assertEquals(
        List.of(
            new FacetCount("Clothing", 2),
            new FacetCount("Clothing > Hats", 1),
            new FacetCount("Clothing > Shoes", 1),
            new FacetCount("Clothing > Shoes > Sneakers", 1)),
        result.facets().categories());
    assertEquals(
        List.of(new FacetCount("Acme", 1), new FacetCount("Hatco", 1)), result.facets().brands());
    SearchResult all = text("red", SearchMode.VECTOR, SearchOptions.firstPage(1));
    assertEquals(
        new FacetCount("Skyco", 2),
        all.facets().brands().stream()
            .filter(f -> f.value().equals("Skyco"))
            .findFirst()
            .orElseThrow());
  }

  @Test
  void without_facets_a_search_returns_the_same_hits_and_no_counts() {
    for (SearchMode mode : SearchMode.values()) {
      SearchOptions with = new SearchOptions(SearchFilters.NONE, 5, 0, null);
      SearchResult counted = text("red", mode, with);
      SearchResult uncounted = text("red", mode, with.withoutFacets());
      assertFalse(counted.facets().brands().isEmpty(), mode.toString());
      assertEquals(Facets.EMPTY, uncounted.facets(), mode.toString());
      assertEquals(counted.hits(), uncounted.hits(), mode.toString());
      assertEquals(counted.paging(), uncounted.paging(), mode.toString());
    }
  }

  @Test
  void lexical_mode_ranks_by_bm25_over_title_brand_and_category() {
    SearchResult result = text("coffee mug", SearchMode.LEXICAL, SearchOptions.firstPage(10));
    assertEquals(List.of("p-black-mug", "p-white-mug"), ids(result).stream().sorted().toList());
    assertNull(result.hits().get(0).matchedImage());
    assertEquals(
        List.of("p-ball", "p-kite"),
        ids(text("skyco", SearchMode.LEXICAL, SearchOptions.firstPage(10))));
    assertEquals(
        List.of("p-kite"),
        ids(text("Outdoor kite", SearchMode.LEXICAL, SearchOptions.firstPage(1))));
    assertTrue(text("!!!", SearchMode.LEXICAL, SearchOptions.firstPage(10)).hits().isEmpty());
  }

  @Test
  void hybrid_mode_fuses_both_rankings_and_reports_exact_cosine_for_lexical_only_hits() {
    SearchResult result = text("coffee", SearchMode.HYBRID, SearchOptions.firstPage(8));
    float[] query = model.textVector("coffee");
    float[] black = model.textVector("black");
    Hit mug =
        result.hits().stream().filter(h -> h.id().equals("p-black-mug")).findFirst().orElseThrow();
    double expected = 0;
    for (int i = 0; i < query.length; i++) {
      expected += query[i] * black[i];
    }
    assertEquals(expected, mug.score(), 1e-5);
    assertEquals(0, mug.matchedImage());
    // Both mugs are the only lexical matches: fusion lifts them over products equally far from the
    // query vector.
    assertEquals(
        List.of("p-black-mug", "p-white-mug"),
        ids(result).subList(0, 2).stream().sorted().toList());
  }

  @Test
  void a_selective_filter_still_returns_k_hits_because_it_is_applied_inside_the_knn_search()
      throws IOException {
    List<TestCatalog.Item> many = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      many.add(
          item(
              String.format("bulk-%04d", i),
              "Red thing " + i,
              "Common",
              "Bulk",
              1.0,
              List.of(),
              "red"));
    }
    for (int i = 0; i < 5; i++) {
      many.add(item("rare-" + i, "Blue rarity " + i, "Rare", "Bulk", 1.0, List.of(), "blue"));
    }
    close();
    TestCatalog.write(dir.resolve("index"), model, many);
    start(SearchSettings.defaults(), false);
    SearchResult result =
        text(
            "red",
            SearchMode.VECTOR,
            filtered(5, new SearchFilters(null, List.of("Rare"), null, null, null)));
    assertEquals(List.of("rare-0", "rare-1", "rare-2", "rare-3", "rare-4"), ids(result));
  }

  @Test
  void image_search_finds_products_with_the_same_colour() {
    SearchResult result =
        service.searchByImage(new ImageSearch(Colors.png("blue"), SearchOptions.firstPage(2)));
    assertEquals("p-blue-shoe", result.hits().get(0).id());
    assertEquals(1.0, result.hits().get(0).score(), 1e-5);
    assertEquals(SearchMode.VECTOR, result.mode());
  }

  @Test
  void similar_products_exclude_the_product_itself_and_use_all_its_images() {
    SearchResult result =
        service.similar(new SimilarSearch("p-red-shoe", SearchOptions.firstPage(3)));
    assertEquals("p-red-hat", result.hits().get(0).id());
    assertFalse(ids(result).contains("p-red-shoe"));
    SearchResult acme =
        service.similar(
            new SimilarSearch(
                "p-red-shoe",
                filtered(5, new SearchFilters(null, List.of("Acme"), null, null, null))));
    assertEquals(List.of("p-blue-shoe"), ids(acme));
    // The kite has a green and a yellow image: nothing else is green or yellow, so its best
    // neighbours score by whichever image is closer, and it never returns itself.
    SearchResult kite = service.similar(new SimilarSearch("p-kite", SearchOptions.firstPage(10)));
    assertEquals(CATALOG.size() - 1, kite.hits().size());
  }

  @Test
  void similar_to_an_unknown_product_is_not_found() {
    assertThrows(
        ProductNotFoundException.class,
        () -> service.similar(new SimilarSearch("nope", SearchOptions.firstPage(3))));
  }

  private SearchResult composed(SearchMode mode, int k, QueryPart... parts) {
    return service.composedSearch(
        new ComposedSearch(List.of(parts), mode, SearchOptions.firstPage(k)));
  }

  @Test
  void a_product_plus_a_word_moves_the_ranking_towards_the_word_and_never_returns_the_product() {
    // More like the red shoe alone: the other red product first.
    assertEquals(
        "p-red-hat",
        composed(SearchMode.VECTOR, 3, new QueryPart.Product("p-red-shoe", 1.0))
            .hits()
            .getFirst()
            .id());
    // The red shoe, but blue: the blue shoe (same brand and category, other colour) first.
    SearchResult butBlue =
        composed(
            SearchMode.VECTOR,
            8,
            new QueryPart.Product("p-red-shoe", 0.5),
            new QueryPart.Text("blue", 1.0));
    assertEquals("p-blue-shoe", butBlue.hits().getFirst().id());
    assertFalse(ids(butBlue).contains("p-red-shoe"));
    assertEquals(CATALOG.size() - 1, butBlue.hits().size());
    // The product part still counts: the red hat scores higher than for "blue" alone.
    SearchResult blue = text("blue", SearchMode.VECTOR, SearchOptions.firstPage(8));
    assertTrue(score(butBlue, "p-red-hat") > score(blue, "p-red-hat"), ids(butBlue).toString());
  }

  @Test
  void a_negative_part_pushes_its_products_down() {
    SearchResult purple = composed(SearchMode.VECTOR, 8, new QueryPart.Text("purple", 1.0));
    SearchResult notRed =
        composed(
            SearchMode.VECTOR,
            8,
            new QueryPart.Text("purple", 1.0),
            new QueryPart.Text("red", -0.5));
    assertEquals("p-lamp", notRed.hits().getFirst().id());
    for (String red : List.of("p-red-hat", "p-red-shoe")) {
      assertTrue(score(notRed, red) < score(purple, red), red);
      assertTrue(ids(notRed).indexOf(red) >= ids(purple).indexOf(red), red);
    }
  }

  private static double score(SearchResult result, String id) {
    return result.hits().stream().filter(h -> h.id().equals(id)).findFirst().orElseThrow().score();
  }

  @Test
  void a_single_text_part_ranks_as_the_text_search_does() {
    SearchResult text = text("green kite", SearchMode.VECTOR, SearchOptions.firstPage(8));
    SearchResult part = composed(SearchMode.VECTOR, 8, new QueryPart.Text("green kite", 0.3));
    assertEquals(ids(text), ids(part));
    for (int i = 0; i < text.hits().size(); i++) {
      assertEquals(text.hits().get(i).score(), part.hits().get(i).score(), 1e-5);
    }
  }

  @Test
  void an_image_part_counts_like_an_image_search() {
    SearchResult image =
        composed(SearchMode.VECTOR, 2, new QueryPart.Image(Colors.png("blue"), 1.0));
    assertEquals("p-blue-shoe", image.hits().getFirst().id());
    assertEquals(1.0, image.hits().getFirst().score(), 1e-5);
  }

  @Test
  void only_positive_text_parts_feed_bm25_in_hybrid_mode() {
    SearchResult hybrid =
        composed(
            SearchMode.HYBRID,
            8,
            new QueryPart.Text("mug", 1.0),
            new QueryPart.Product("p-lamp", 0.5),
            new QueryPart.Text("coffee", -0.3));
    assertEquals(SearchMode.HYBRID, hybrid.mode());
    assertEquals("mug", hybrid.queryText());
    assertEquals(List.of("p-black-mug", "p-white-mug"), ids(hybrid).subList(0, 2));
    // Without a positive text there is no lexical side: the result says it ranked by vector.
    SearchResult noText = composed(SearchMode.HYBRID, 3, new QueryPart.Product("p-lamp", 1.0));
    assertEquals(SearchMode.VECTOR, noText.mode());
    assertNull(noText.queryText());
  }

  @Test
  void composed_searches_apply_filters() {
    SearchResult acme =
        service.composedSearch(
            new ComposedSearch(
                List.of(new QueryPart.Product("p-red-hat", 1.0), new QueryPart.Text("red", 0.5)),
                SearchMode.VECTOR,
                filtered(5, new SearchFilters(null, List.of("Acme"), null, null, null))));
    assertEquals(List.of("p-red-shoe", "p-blue-shoe"), ids(acme));
  }

  @Test
  void an_unknown_product_part_is_not_found_naming_the_part() {
    ProductNotFoundException e =
        assertThrows(
            ProductNotFoundException.class,
            () ->
                composed(
                    SearchMode.VECTOR,
                    3,
                    new QueryPart.Text("red", 1.0),
                    new QueryPart.Product("nope", 0.5)));
    assertTrue(e.getMessage().contains("parts[1]"), e.getMessage());
  }

  @Test
  void an_unusable_image_part_is_refused_naming_the_part() {
    InvalidImageException e =
        assertThrows(
            InvalidImageException.class,
            () ->
                composed(
                    SearchMode.VECTOR,
                    3,
                    new QueryPart.Text("red", 1.0),
                    new QueryPart.Image("not an image".getBytes(), 0.5)));
    assertTrue(e.getMessage().startsWith("parts[1]: "), e.getMessage());
  }

  @Test
  void parts_that_cancel_out_are_refused() {
    InvalidQueryException e =
        assertThrows(
            InvalidQueryException.class,
            () ->
                composed(
                    SearchMode.VECTOR,
                    3,
                    new QueryPart.Text("red", 1.0),
                    new QueryPart.Text("red", -1.0)));
    assertEquals("parts", e.parameter());
  }

  @Test
  void classify_gives_softmax_probabilities_with_the_best_label() {
    Classification result =
        service.classify(
            new ClassifyRequest(Colors.png("green"), List.of("red", "green", "blue"), "{}"));
    assertEquals("green", result.best());
    double sum = result.labels().stream().mapToDouble(l -> l.probability()).sum();
    assertEquals(1.0, sum, 1e-9);
    assertTrue(result.labels().get(1).probability() > 0.99, result.labels().toString());
    assertEquals(1.0, result.labels().get(1).similarity(), 1e-5);
    Classification templated =
        service.classify(new ClassifyRequest(Colors.png("green"), List.of("cat", "dog"), null));
    assertEquals("a photo of a cat", templated.labels().get(0).prompt());
  }

  @Test
  void product_details_list_images_and_serve_thumbnails_and_originals_under_the_images_root()
      throws IOException {
    Path original = dir.resolve("catalog/images/red.png");
    Files.createDirectories(original.getParent());
    Files.write(original, Colors.png("red"));
    ProductDetails shoe = service.product("p-red-shoe");
    assertEquals("Red running shoe", shoe.title());
    assertEquals(List.of("sale", "running"), shoe.tags());
    assertEquals(1, shoe.images().size());
    assertTrue(shoe.images().get(0).originalAvailable());
    assertEquals(
        original.toAbsolutePath().normalize(), service.originalImage("p-red-shoe", 0).file());
    assertFalse(
        service.product("p-blue-shoe").images().get(0).originalAvailable(), "no file on disk");
    assertThrows(ProductNotFoundException.class, () -> service.originalImage("p-blue-shoe", 0));
    var thumbnail = service.thumbnail("p-kite", 1);
    assertEquals("image/jpeg", thumbnail.mediaType());
    assertEquals((byte) 0xFF, thumbnail.bytes()[0]);
    assertThrows(ProductNotFoundException.class, () -> service.thumbnail("p-kite", 2));
    assertThrows(ProductNotFoundException.class, () -> service.product("nope"));
  }

  @Test
  void admin_writes_are_visible_to_the_next_search_and_replace_whole_products() {
    ProductFields fields =
        new ProductFields(
            "Yellow raincoat",
            null,
            "Drip",
            "Clothing > Coats",
            89.0,
            "EUR",
            List.of("rain"),
            null,
            Map.of("size", "M"));
    UpsertResult created =
        admin.upsert(new ProductUpload("p-coat", fields, List.of(Colors.png("yellow"))));
    assertTrue(created.created());
    assertEquals(
        "p-coat",
        text(
                "yellow",
                SearchMode.VECTOR,
                filtered(1, new SearchFilters(null, List.of("Drip"), null, null, null)))
            .hits()
            .get(0)
            .id());
    assertNotNull(service.thumbnail("p-coat", 0));
    long before = service.status().products();

    ProductFields renamed =
        new ProductFields(
            "Blue raincoat", null, "Drip", "Clothing > Coats", 79.0, "EUR", List.of(), null, null);
    UpsertResult replaced =
        admin.upsert(
            new ProductUpload("p-coat", renamed, List.of(Colors.png("blue"), Colors.png("white"))));
    assertFalse(replaced.created());
    assertEquals(before, service.status().products());
    ProductDetails coat = service.product("p-coat");
    assertEquals("Blue raincoat", coat.title());
    assertEquals(2, coat.images().size());
    assertFalse(coat.images().get(0).originalAvailable(), "uploads keep only thumbnails");

    assertTrue(admin.delete("p-coat"));
    assertFalse(admin.delete("p-coat"));
    assertThrows(ProductNotFoundException.class, () -> service.product("p-coat"));
  }

  @Test
  void refuses_to_open_an_index_with_another_model_naming_both() throws IOException {
    FakeClipModel other = new FakeClipModel("another-model");
    ModelMismatchException e =
        assertThrows(
            ModelMismatchException.class,
            () ->
                LuceneSearchStore.open(
                    dir.resolve("index"), other.spec(), false, Duration.ofSeconds(1)));
    assertTrue(
        e.getMessage().contains("fake-clip-32") && e.getMessage().contains("another-model"),
        e.getMessage());
  }

  @Test
  void a_read_only_server_sees_an_indexer_commit_after_a_refresh() throws IOException {
    close();
    start(SearchSettings.defaults(), false);
    TestCatalog.write(
        dir.resolve("index"),
        model,
        List.of(item("p-new", "Brand new", "Neo", "New", 1.0, List.of(), "white")));
    index.refresh();
    assertEquals("Brand new", service.product("p-new").title());
  }

  @Test
  void seeded_random_catalog_orders_every_page_by_score_then_id(RandomSeed seed)
      throws IOException {
    Random random = seed.random();
    List<String> colours = List.copyOf(Colors.NAMED.keySet());
    List<TestCatalog.Item> items = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      items.add(
          item(
              "r" + random.nextInt(1000) + "-" + i,
              "Item " + i,
              "B" + random.nextInt(4),
              "C" + random.nextInt(3),
              1.0 + random.nextInt(50),
              List.of(),
              colours.get(random.nextInt(colours.size()))));
    }
    close();
    Files.walk(dir.resolve("index"))
        .sorted(java.util.Comparator.reverseOrder())
        .forEach(p -> p.toFile().delete());
    TestCatalog.write(dir.resolve("index"), model, items);
    start(SearchSettings.defaults(), false);
    SearchResult result =
        text(
            colours.get(random.nextInt(colours.size())),
            SearchMode.VECTOR,
            SearchOptions.firstPage(120));
    assertEquals(120, result.hits().size(), seed.toString());
    for (int i = 1; i < result.hits().size(); i++) {
      Hit a = result.hits().get(i - 1);
      Hit b = result.hits().get(i);
      assertTrue(
          a.score() > b.score() || (a.score() == b.score() && a.id().compareTo(b.id()) < 0),
          seed + ": " + a + " before " + b);
    }
    assertArrayEquals(
        ids(result).toArray(),
        ids(text(result.queryText(), SearchMode.VECTOR, SearchOptions.firstPage(120))).toArray(),
        seed.toString());
  }
}
