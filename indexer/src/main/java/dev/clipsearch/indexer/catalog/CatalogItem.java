package dev.clipsearch.indexer.catalog;

import dev.clipsearch.common.catalog.Product;
import dev.clipsearch.indexer.report.FailureReason;
import java.util.Objects;

/** What a catalog reader yields for each line (or CSV record): a product, or why there is none. */
public sealed interface CatalogItem {

  /** 1-based line number where the entry starts. */
  long line();

  /** A well-formed product. */
  record Valid(long line, Product product) implements CatalogItem {
    public Valid {
      Objects.requireNonNull(product, "product");
    }
  }

  /**
   * A line that yields no product.
   *
   * @param productId the id when the line had a readable one (so {@code --prune} keeps the product
   *     that an earlier run indexed), else null
   */
  record Invalid(long line, String productId, FailureReason reason, String message)
      implements CatalogItem {
    public Invalid {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
    }
  }
}
