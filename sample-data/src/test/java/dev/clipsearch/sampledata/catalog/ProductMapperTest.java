package dev.clipsearch.sampledata.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.common.catalog.Product;
import dev.clipsearch.models.testing.RandomSeed;
import dev.clipsearch.sampledata.emoji.EmojiEntry;
import dev.clipsearch.sampledata.emoji.Fixtures;
import dev.clipsearch.sampledata.emoji.ImageIndex;
import dev.clipsearch.sampledata.emoji.ImageStyle;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Emoji metadata to products, with the built-in rules and the emojibase fixture. */
@ExtendWith(RandomSeed.Extension.class)
class ProductMapperTest {

  private static final CatalogRules RULES = CatalogRules.builtIn();

  /** A render for every fixture emoji, a flat image for a few. */
  private static List<ImageIndex> imageSets() {
    Map<String, String> renders = new HashMap<>();
    for (EmojiEntry e : Fixtures.emoji()) {
      renders.put(e.codePoints(), e.codePoints() + ".webp");
    }
    return List.of(
        ImageIndex.of(ImageStyle.FLUENT_3D, renders),
        ImageIndex.of(ImageStyle.NOTO, Map.of("1f34e", "1f34e.png", "1f45f", "1f45f.png")));
  }

  private static Product product(String label) {
    return assertInstanceOf(
            ProductMapper.Outcome.Mapped.class,
            new ProductMapper(RULES, imageSets()).map(Fixtures.emoji(label)))
        .product();
  }

  private static SkipReason skipReason(String label, List<ImageIndex> images) {
    return assertInstanceOf(
            ProductMapper.Outcome.Skipped.class,
            new ProductMapper(RULES, images).map(Fixtures.emoji(label)))
        .reason();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "red apple | Food & Drink > Fruit",
        "ear of corn | Food & Drink > Vegetables",
        "hot beverage | Food & Drink > Drinks",
        "running shoe | Clothing > Shoes",
        "t-shirt | Clothing > Tops",
        "woman’s hat | Clothing > Hats & Caps",
        "sunglasses | Accessories > Eyewear",
        "piñata | Toys & Games > Toys",
      })
  void product_like_emoji_get_a_shop_category(String label, String category) {
    assertEquals(category, product(label).category());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"grinning face", "thumbs up", "flag: Germany", "one o’clock"})
  void faces_hands_flags_and_clocks_are_not_products(String label) {
    assertEquals(SkipReason.NOT_A_PRODUCT, skipReason(label, imageSets()));
  }

  @Test
  void an_animal_face_is_dropped_by_its_own_rule() {
    assertEquals(SkipReason.DROPPED_BY_RULE, skipReason("dog face", imageSets()));
  }

  @Test
  void a_product_without_an_image_in_any_style_is_skipped() {
    assertEquals(
        SkipReason.NO_IMAGE,
        skipReason("t-shirt", List.of(ImageIndex.of(ImageStyle.FLUENT_3D, Map.of()))));
  }

  @ParameterizedTest(name = "{0} -> {1} / {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "red apple | red-apple | Red Apple",
        "woman’s hat | womans-hat | Woman’s Hat",
        "piñata | pinata | Piñata",
        "t-shirt | t-shirt | T-Shirt",
        "ear of corn | ear-of-corn | Ear of Corn",
      })
  void ids_are_slugs_of_the_name_and_titles_are_capitalized(String label, String id, String title) {
    Product p = product(label);
    assertEquals(id, p.id());
    assertEquals(title, p.title());
  }

  @Test
  void images_follow_the_style_order_as_paths_relative_to_the_catalog() {
    assertEquals(
        List.of("images/fluent-3d/1f34e.webp", "images/noto/1f34e.png"),
        product("red apple").images());
    assertEquals(List.of("images/fluent-3d/1f576-fe0f.webp"), product("sunglasses").images());
  }

  @Test
  void description_names_title_brand_category_and_every_keyword() {
    Product shoe = product("running shoe");

    assertEquals(
        "Running Shoe by "
            + shoe.brand()
            + ", from our Shoes range: athletic, clothes, clothing, fast, kick, running, shoe,"
            + " shoes, shopping, sneaker, tennis.",
        shoe.description());
    assertEquals(Fixtures.emoji("running shoe").tags(), shoe.tags());
    assertEquals("👟", shoe.attributes().get("emoji"));
    assertEquals("USD", shoe.currency());
  }

  @Test
  void price_and_brand_are_the_same_in_every_build_and_fit_the_category() {
    for (EmojiEntry entry : Fixtures.emoji()) {
      var first = new ProductMapper(RULES, imageSets()).map(entry);
      var again = new ProductMapper(CatalogRules.builtIn(), imageSets()).map(entry);
      assertEquals(first, again, entry.label());
      if (first instanceof ProductMapper.Outcome.Mapped(Product p)) {
        PriceRange range = RULES.priceRange(p.category());
        assertTrue(p.price().compareTo(range.min()) >= 0, p.id() + " " + p.price());
        assertTrue(p.price().compareTo(range.max()) <= 0, p.id() + " " + p.price());
        assertTrue(RULES.brands(p.category()).contains(p.brand()), p.id() + " " + p.brand());
      }
    }
  }

  @Test
  void seeded_ids_spread_over_the_price_range_and_the_brands(RandomSeed seed) {
    Random random = seed.random();
    PriceRange range = new PriceRange(new BigDecimal("4.99"), new BigDecimal("499.99"));
    List<String> brands = List.of("A", "B", "C", "D");
    Set<BigDecimal> prices = new HashSet<>();
    Map<String, Integer> brandCounts = new HashMap<>();
    int cheap = 0;
    int dear = 0;
    for (int i = 0; i < 2_000; i++) {
      String id = "item-" + Long.toHexString(random.nextLong());
      BigDecimal price = ProductMapper.price(id, range);
      String where = seed + ", id " + id + ", price " + price;
      assertTrue(price.compareTo(range.min()) >= 0 && price.compareTo(range.max()) <= 0, where);
      assertTrue(price.toPlainString().matches("\\d+\\.(49|99)"), where);
      prices.add(price);
      cheap += price.compareTo(new BigDecimal("20")) < 0 ? 1 : 0;
      dear += price.compareTo(new BigDecimal("100")) > 0 ? 1 : 0;
      brandCounts.merge(ProductMapper.brand(id, brands), 1, Integer::sum);
    }
    assertTrue(prices.size() > 50, seed + ": only " + prices.size() + " prices");
    // log-uniform: about 30% below 20 and 35% above 100
    assertTrue(cheap > 400 && dear > 400, seed + ": cheap " + cheap + ", dear " + dear);
    assertEquals(Set.copyOf(brands), brandCounts.keySet(), seed.toString());
    brandCounts.values().forEach(n -> assertTrue(n > 350, seed + ": " + brandCounts));
  }
}
