package dev.clipsearch.sampledata.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class PriceRangeTest {

  private static PriceRange range(String min, String max) {
    return new PriceRange(new BigDecimal(min), new BigDecimal(max));
  }

  @Test
  void the_ends_of_the_range_are_its_shop_like_bounds() {
    PriceRange r = range("0.99", "1499.99");
    assertEquals(new BigDecimal("0.99"), r.priceAt(0));
    assertEquals(new BigDecimal("1499.99"), r.priceAt(Math.nextDown(1.0)));
  }

  @Test
  void prices_end_like_shop_prices_at_each_magnitude() {
    assertEquals(new BigDecimal("3.49"), range("3.40", "3.60").priceAt(0.5));
    assertEquals(new BigDecimal("42.99"), range("42.50", "43.50").priceAt(0.5));
    assertEquals(new BigDecimal("244.99"), range("243.00", "246.00").priceAt(0.5));
    assertEquals(new BigDecimal("1049.99"), range("1020.00", "1060.00").priceAt(0.5));
  }

  @Test
  void a_fraction_outside_zero_to_one_is_refused() {
    assertThrows(IllegalArgumentException.class, () -> range("1", "9.99").priceAt(1.0));
    assertThrows(IllegalArgumentException.class, () -> range("1", "9.99").priceAt(-0.1));
  }
}
