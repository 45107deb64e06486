package dev.clipsearch.sampledata.catalog;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The prices a product of a category may have: shop-like prices between {@code min} and {@code max}
 * (inclusive). Below 10 they end in .49 or .99, below 100 in .99, below 1000 in 4.99 or 9.99, from
 * 1000 in 49.99 or 99.99.
 */
public record PriceRange(BigDecimal min, BigDecimal max) {

  public PriceRange {
    if (min.signum() <= 0 || max.compareTo(min) < 0) {
      throw new IllegalArgumentException(
          "price range must have 0 < min <= max: " + min + ".." + max);
    }
    if (candidates(min, max).isEmpty()) {
      throw new IllegalArgumentException("no shop-like price between " + min + " and " + max);
    }
  }

  /**
   * The price at {@code fraction} (in [0, 1)) of the range on a logarithmic scale, so cheap and
   * dear products are spread alike, snapped to the nearest shop-like price in the range.
   */
  public BigDecimal priceAt(double fraction) {
    if (!(fraction >= 0 && fraction < 1)) {
      throw new IllegalArgumentException("fraction must be in [0, 1): " + fraction);
    }
    double lo = Math.log(min.doubleValue());
    double hi = Math.log(max.doubleValue());
    double target = Math.exp(lo + fraction * (hi - lo));
    List<BigDecimal> prices = candidates(min, max);
    BigDecimal best = prices.getFirst();
    for (BigDecimal p : prices) {
      if (Math.abs(p.doubleValue() - target) < Math.abs(best.doubleValue() - target)) {
        best = p;
      }
    }
    return best;
  }

  private static List<BigDecimal> candidates(BigDecimal min, BigDecimal max) {
    List<BigDecimal> prices = new ArrayList<>();
    int from = min.setScale(0, RoundingMode.FLOOR).intValueExact();
    int to = max.setScale(0, RoundingMode.FLOOR).intValueExact();
    for (int whole = from; whole <= to; whole++) {
      if (whole < 10) {
        addInRange(prices, whole, "0.49", min, max);
      }
      int next = whole + 1; // x.99 rounds up to next
      if (next <= 100 || (next <= 1000 && next % 5 == 0) || next % 50 == 0) {
        addInRange(prices, whole, "0.99", min, max);
      }
    }
    return prices;
  }

  private static void addInRange(
      List<BigDecimal> prices, int whole, String cents, BigDecimal min, BigDecimal max) {
    BigDecimal price = BigDecimal.valueOf(whole).add(new BigDecimal(cents));
    if (price.compareTo(min) >= 0 && price.compareTo(max) <= 0) {
      prices.add(price);
    }
  }
}
