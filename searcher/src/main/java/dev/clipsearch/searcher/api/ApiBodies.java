package dev.clipsearch.searcher.api;

import dev.clipsearch.searcher.service.Facets;
import dev.clipsearch.searcher.service.Hit;
import dev.clipsearch.searcher.service.Paging;
import dev.clipsearch.searcher.service.ProductDetails;
import dev.clipsearch.searcher.service.ProductImage;
import dev.clipsearch.searcher.service.SearchMode;
import dev.clipsearch.searcher.service.SearchResult;
import dev.clipsearch.searcher.service.Timings;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The JSON bodies of successful responses, as described in {@code openapi.json}: the service's
 * records plus the links only the HTTP layer knows.
 */
public final class ApiBodies {

  private ApiBodies() {}

  /**
   * A page of search results.
   *
   * @param query what was searched for
   * @param mode {@code vector}, {@code hybrid} or {@code lexical}
   * @param scoreType {@code cosine} (every mode but lexical) or {@code bm25}
   * @param hits the page, best first
   * @param paging where the page sits in the ranking
   * @param facets counts for the current query and filters
   * @param timings where the time went, in milliseconds
   */
  public record SearchBody(
      QueryBody query,
      String mode,
      String scoreType,
      List<HitBody> hits,
      Paging paging,
      Facets facets,
      Timings timings) {}

  /**
   * What a search was for.
   *
   * @param type {@code text}, {@code image} or {@code similar}
   * @param text the text searched for (after truncation), for text queries
   * @param productId the product whose similar products were asked for
   * @param truncated whether the text was cut to fit the model's context or the server's limit
   */
  public record QueryBody(String type, String text, String productId, Boolean truncated) {}

  /**
   * One hit.
   *
   * @param id product id
   * @param title title
   * @param price price
   * @param currency ISO currency code
   * @param category category path
   * @param brand brand
   * @param score cosine similarity of the best-matching image (BM25 score in lexical mode)
   * @param matchedImage index of the best-matching image
   * @param thumbnailUrl thumbnail of the best-matching image (of the first image in lexical mode)
   * @param productUrl this API's URL for the product's details
   */
  public record HitBody(
      String id,
      String title,
      Double price,
      String currency,
      String category,
      String brand,
      double score,
      Integer matchedImage,
      String thumbnailUrl,
      String productUrl) {}

  /**
   * A product's details with links to its images.
   *
   * @param id product id
   * @param title title
   * @param description description
   * @param price price
   * @param currency ISO currency code
   * @param category category path
   * @param brand brand
   * @param tags tags
   * @param url the product's page in the shop
   * @param attributes free attributes from the catalog
   * @param facetAttributes zero-shot attributes ({@code color -> red}: the {@code attr.color}
   *     facet)
   * @param images the product's images
   * @param similarUrl this API's URL for products like it
   */
  public record ProductBody(
      String id,
      String title,
      String description,
      Double price,
      String currency,
      String category,
      String brand,
      List<String> tags,
      String url,
      Map<String, Object> attributes,
      Map<String, String> facetAttributes,
      List<ImageBody> images,
      String similarUrl) {}

  /**
   * One image of a product.
   *
   * @param index position in the product's image list
   * @param thumbnailUrl the stored thumbnail
   * @param originalUrl the original file, when the server can read it
   */
  public record ImageBody(int index, String thumbnailUrl, String originalUrl) {}

  static SearchBody search(SearchResult result, QueryBody query) {
    List<HitBody> hits = result.hits().stream().map(ApiBodies::hit).toList();
    return new SearchBody(
        query,
        result.mode().wireName(),
        result.mode() == SearchMode.LEXICAL ? "bm25" : "cosine",
        hits,
        result.paging(),
        result.facets(),
        result.timings());
  }

  static HitBody hit(Hit hit) {
    int image = hit.matchedImage() == null ? 0 : hit.matchedImage();
    return new HitBody(
        hit.id(),
        hit.title(),
        hit.price(),
        hit.currency(),
        hit.category(),
        hit.brand(),
        hit.score(),
        hit.matchedImage(),
        thumbnailUrl(hit.id(), image),
        productUrl(hit.id()));
  }

  static ProductBody product(ProductDetails p) {
    List<ImageBody> images =
        p.images().stream()
            .map(
                (ProductImage image) ->
                    new ImageBody(
                        image.index(),
                        thumbnailUrl(p.id(), image.index()),
                        image.originalAvailable() ? originalUrl(p.id(), image.index()) : null))
            .toList();
    return new ProductBody(
        p.id(),
        p.title(),
        p.description(),
        p.price(),
        p.currency(),
        p.category(),
        p.brand(),
        p.tags(),
        p.url(),
        p.attributes(),
        p.facetAttributes(),
        images,
        productUrl(p.id()) + "/similar");
  }

  static String productUrl(String id) {
    return "/api/products/" + pathSegment(id);
  }

  static String thumbnailUrl(String id, int image) {
    return productUrl(id) + "/thumbnail" + (image == 0 ? "" : "?image=" + image);
  }

  static String originalUrl(String id, int image) {
    return productUrl(id) + "/images/" + image;
  }

  /** Percent-encodes a path segment (spaces as {@code %20}, not {@code +}). */
  static String pathSegment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
