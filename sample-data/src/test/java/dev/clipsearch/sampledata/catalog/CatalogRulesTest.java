package dev.clipsearch.sampledata.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.sampledata.SampleDataException;
import dev.clipsearch.sampledata.emoji.Fixtures;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CatalogRulesTest {

  private static final String RULES =
      String.join(
          "\n",
          "# comment",
          "subgroup\tfood-fruit\tFood & Drink > Fruit",
          "subgroup\tclothing\tClothing > Tops",
          "emoji\trunning shoe\tClothing > Shoes",
          "emoji\tt-shirt\t-",
          "price\tFood & Drink\t0.99\t9.99",
          "price\tClothing\t9.99\t99.99",
          "price\tClothing > Shoes\t49.99\t149.99",
          "brands\tFood & Drink\tA, B",
          "brands\tClothing\tC",
          "");

  @Test
  void subgroup_rules_place_emoji_and_emoji_rules_override_them() {
    CatalogRules rules = CatalogRules.parse("test.tsv", RULES);

    assertEquals(
        new CatalogRules.Placement.ForSale("Food & Drink > Fruit"),
        rules.place(Fixtures.emoji("red apple")));
    assertEquals(
        new CatalogRules.Placement.ForSale("Clothing > Shoes"),
        rules.place(Fixtures.emoji("running shoe")));
    assertEquals(
        new CatalogRules.Placement.ForSale("Clothing > Tops"),
        rules.place(Fixtures.emoji("woman’s hat")));
    assertEquals(
        new CatalogRules.Placement.NotForSale(SkipReason.DROPPED_BY_RULE),
        rules.place(Fixtures.emoji("t-shirt")));
    assertEquals(
        new CatalogRules.Placement.NotForSale(SkipReason.NOT_A_PRODUCT),
        rules.place(Fixtures.emoji("grinning face")));
  }

  @Test
  void the_longest_matching_prefix_gives_price_range_and_brands() {
    CatalogRules rules = CatalogRules.parse("test.tsv", RULES);

    assertEquals(new BigDecimal("49.99"), rules.priceRange("Clothing > Shoes").min());
    assertEquals(new BigDecimal("9.99"), rules.priceRange("Clothing > Tops").min());
    assertEquals(List.of("A", "B"), rules.brands("Food & Drink > Fruit"));
    assertThrows(SampleDataException.class, () -> rules.priceRange("Clothingware"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "unknown rule kind | colour\\tred\\tblue | unknown rule 'colour'",
        "missing field | subgroup\\tfood-fruit | expected 3 tab-separated fields",
        "bad path | subgroup\\tfood-fruit\\tFood >> Fruit | bad category path",
        "inverted price range | price\\tFood & Drink\\t9.99\\t0.99 | 0 < min <= max",
        "no shop-like price | price\\tFood & Drink\\t1.50\\t1.60 | no shop-like price",
        "duplicate | subgroup\\tclothing\\tClothing > Shoes | duplicate subgroup rule",
        "empty brand | brands\\tClothing > Shoes\\tX, , Y | empty brand name",
      })
  void a_malformed_rule_is_reported_with_file_and_line(String what, String line, String why) {
    String text = RULES + line.replace("\\t", "\t") + "\n";
    int lineNumber = (int) RULES.lines().count() + 1;

    SampleDataException e =
        assertThrows(SampleDataException.class, () -> CatalogRules.parse("test.tsv", text));

    assertTrue(e.getMessage().startsWith("test.tsv:" + lineNumber + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(why), e.getMessage());
  }

  @Test
  void a_category_without_price_or_brands_is_refused() {
    String text = "subgroup\tfood-fruit\tGarden > Fruit\nprice\tGarden\t1\t9.99\n";

    SampleDataException e =
        assertThrows(SampleDataException.class, () -> CatalogRules.parse("test.tsv", text));
    assertTrue(e.getMessage().contains("no brands rule covers Garden > Fruit"), e.getMessage());
  }

  @Test
  void built_in_rules_load_and_their_digest_follows_the_text() {
    CatalogRules builtIn = CatalogRules.builtIn();

    assertInstanceOf(
        CatalogRules.Placement.ForSale.class, builtIn.place(Fixtures.emoji("red apple")));
    assertNotEquals(
        CatalogRules.parse("a", RULES).digest(), CatalogRules.parse("a", RULES + "#\n").digest());
  }
}
