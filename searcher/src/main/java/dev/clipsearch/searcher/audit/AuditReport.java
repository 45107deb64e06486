package dev.clipsearch.searcher.audit;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Map;

/**
 * What a catalog audit found: the three sections ranked, at most {@link AuditSettings#limit}
 * entries each, with counts over everything found. Written as {@code audit.json} and {@code
 * audit.html}.
 *
 * @param index the audited store's location
 * @param model the model whose text encoder scored the prompts
 * @param settings thresholds and prompts used
 * @param counts how much was audited and found
 * @param categories the catalog's own categories, the labels of the zero-shot classification
 * @param categoryMismatches products whose images look like another category, largest margin first
 * @param duplicateGroups near-duplicate images across products, largest group first
 * @param placeholders images that look like placeholders, largest margin first
 * @param thumbnails inline thumbnails ({@code data:} URIs) by {@link ImageRef#key()}, for the HTML
 */
public record AuditReport(
    String index,
    String model,
    AuditSettings settings,
    Counts counts,
    List<String> categories,
    List<CategoryMismatch> categoryMismatches,
    List<DuplicateGroup> duplicateGroups,
    List<PlaceholderImage> placeholders,
    @JsonIgnore Map<String, String> thumbnails) {

  public AuditReport {
    categories = List.copyOf(categories);
    categoryMismatches = List.copyOf(categoryMismatches);
    duplicateGroups = List.copyOf(duplicateGroups);
    placeholders = List.copyOf(placeholders);
    thumbnails = thumbnails == null ? Map.of() : Map.copyOf(thumbnails);
  }

  /**
   * @param products products audited
   * @param images images audited
   * @param productsWithoutCategory products the category check skipped
   * @param categoryMismatches products reported by the category check (before the limit)
   * @param duplicateGroups near-duplicate groups (before the limit)
   * @param duplicateImages images in those groups
   * @param placeholders images reported as placeholders (before the limit)
   * @param seconds how long the audit took
   */
  public record Counts(
      long products,
      long images,
      long productsWithoutCategory,
      int categoryMismatches,
      int duplicateGroups,
      int duplicateImages,
      int placeholders,
      double seconds) {}

  /**
   * One stored image of a product.
   *
   * @param productId the product
   * @param title the product's title
   * @param image the image's position in the product's catalog images, from 0
   * @param source the image reference as stored
   */
  public record ImageRef(String productId, String title, int image, String source) {

    /** {@code id#image}: the image's key in {@link AuditReport#thumbnails}. */
    public String key() {
      return productId + "#" + image;
    }
  }

  /**
   * A product whose images look like another of the catalog's categories.
   *
   * @param product the product's first image that is not placeholder-like (shown in the report)
   * @param storedCategory the category the catalog gives it
   * @param predictedCategory the most probable category for its images
   * @param storedProbability the stored category's probability (mean over its images)
   * @param predictedProbability the predicted category's probability
   * @param margin {@code predictedProbability - storedProbability}
   */
  public record CategoryMismatch(
      ImageRef product,
      String storedCategory,
      String predictedCategory,
      double storedProbability,
      double predictedProbability,
      double margin) {}

  /**
   * Images of different products that are (near) copies of each other.
   *
   * @param images the images, by product id and position
   * @param products how many distinct products they belong to
   * @param minCosine the lowest cosine among the pairs that joined the group
   */
  public record DuplicateGroup(List<ImageRef> images, int products, double minCosine) {

    public DuplicateGroup {
      images = List.copyOf(images);
    }
  }

  /**
   * An image that matches a placeholder description better than its own product.
   *
   * @param image the image
   * @param prompt the placeholder prompt it matches best
   * @param placeholderProbability that prompt's probability among the placeholder prompts, the
   *     product's title and every category of the catalog
   * @param ownProbability the best probability of the product's title or of a category
   * @param margin {@code placeholderProbability - ownProbability}
   */
  public record PlaceholderImage(
      ImageRef image,
      String prompt,
      double placeholderProbability,
      double ownProbability,
      double margin) {}
}
