package dev.clipsearch.searcher.api;

import dev.clipsearch.searcher.service.CatalogAdmin;
import dev.clipsearch.searcher.service.Classification;
import dev.clipsearch.searcher.service.ClassifyRequest;
import dev.clipsearch.searcher.service.ComposedSearch;
import dev.clipsearch.searcher.service.FacetCount;
import dev.clipsearch.searcher.service.Facets;
import dev.clipsearch.searcher.service.Hit;
import dev.clipsearch.searcher.service.ImageSearch;
import dev.clipsearch.searcher.service.LabelScore;
import dev.clipsearch.searcher.service.OriginalImage;
import dev.clipsearch.searcher.service.Paging;
import dev.clipsearch.searcher.service.ProductDetails;
import dev.clipsearch.searcher.service.ProductImage;
import dev.clipsearch.searcher.service.ProductNotFoundException;
import dev.clipsearch.searcher.service.ProductUpload;
import dev.clipsearch.searcher.service.QueryPart;
import dev.clipsearch.searcher.service.SearchMode;
import dev.clipsearch.searcher.service.SearchOptions;
import dev.clipsearch.searcher.service.SearchResult;
import dev.clipsearch.searcher.service.SearchService;
import dev.clipsearch.searcher.service.ServiceOverloadedException;
import dev.clipsearch.searcher.service.ServiceStatus;
import dev.clipsearch.searcher.service.SimilarSearch;
import dev.clipsearch.searcher.service.StoredImage;
import dev.clipsearch.searcher.service.TextSearch;
import dev.clipsearch.searcher.service.Timings;
import dev.clipsearch.searcher.service.UpsertResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A scripted service for tests of the HTTP layer alone: remembers the last request it got, knows
 * one product ({@code p1}), and misbehaves on cue ({@code q=boom} throws a bug, {@code q=busy}
 * reports a full model queue).
 */
final class FakeSearchService implements SearchService, CatalogAdmin {

  final AtomicReference<Object> lastRequest = new AtomicReference<>();
  final Map<String, ProductUpload> uploads = new ConcurrentHashMap<>();

  @Override
  public SearchResult search(TextSearch search) {
    lastRequest.set(search);
    switch (search.query()) {
      case "boom" -> throw new IllegalStateException("scripted failure");
      case "busy" ->
          throw new ServiceOverloadedException("the model's queue is full", Duration.ofSeconds(2));
      default -> {}
    }
    return result(search.options(), search.mode(), search.query());
  }

  @Override
  public SearchResult searchByImage(ImageSearch search) {
    lastRequest.set(search);
    return result(search.options(), SearchMode.VECTOR, null);
  }

  @Override
  public SearchResult similar(SimilarSearch search) {
    lastRequest.set(search);
    if (!search.productId().equals("p1")) {
      throw new ProductNotFoundException(search.productId());
    }
    return result(search.options(), SearchMode.VECTOR, null);
  }

  /**
   * Knows product {@code p1} only; the parts' kinds reach the result's query text so tests can see
   * what the HTTP layer built.
   */
  @Override
  public SearchResult composedSearch(ComposedSearch search) {
    lastRequest.set(search);
    for (int i = 0; i < search.parts().size(); i++) {
      if (search.parts().get(i) instanceof QueryPart.Product p && !p.productId().equals("p1")) {
        throw new ProductNotFoundException(
            p.productId(), "parts[" + i + "]: no product with id '" + p.productId() + "'");
      }
    }
    return result(search.options(), search.mode(), null);
  }

  @Override
  public Classification classify(ClassifyRequest request) {
    lastRequest.set(request);
    List<LabelScore> scores = new ArrayList<>();
    double p = 1.0 / request.labels().size();
    for (String label : request.labels()) {
      scores.add(new LabelScore(label, request.prompt(label), p, 0.25));
    }
    return new Classification(scores, request.labels().getFirst(), new Timings(1, 0, 1));
  }

  @Override
  public ProductDetails product(String id) {
    if (!id.equals("p1")) {
      throw new ProductNotFoundException(id);
    }
    return new ProductDetails(
        "p1",
        "Red sneaker",
        "A red running shoe",
        49.5,
        "EUR",
        "Clothing > Shoes",
        "Acme",
        List.of("red"),
        null,
        Map.of("size", "42"),
        Map.of(),
        List.of(new ProductImage(0, "p1.jpg", false)));
  }

  @Override
  public StoredImage thumbnail(String id, int image) {
    product(id);
    if (image != 0) {
      throw new ProductNotFoundException(id, "product '" + id + "' has no image " + image);
    }
    return new StoredImage(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}, "image/jpeg");
  }

  @Override
  public OriginalImage originalImage(String id, int image) {
    product(id);
    throw new ProductNotFoundException(id, "the original of image " + image + " is not available");
  }

  @Override
  public ServiceStatus status() {
    return new ServiceStatus(true, "fake-model", 4, 1, 1, 1234);
  }

  @Override
  public UpsertResult upsert(ProductUpload upload) {
    boolean created = uploads.put(upload.id(), upload) == null;
    return new UpsertResult(upload.id(), created, upload.images().size());
  }

  @Override
  public boolean delete(String id) {
    return uploads.remove(id) != null;
  }

  private static SearchResult result(SearchOptions options, SearchMode mode, String text) {
    List<Hit> hits =
        List.of(
            new Hit("p1", "Red sneaker", 49.5, "EUR", "Clothing > Shoes", "Acme", 0.31, 0),
            new Hit("p 2/x", "Blue boot", null, null, null, null, 0.29, 1));
    return new SearchResult(
        hits,
        new Paging(options.k(), options.offset(), hits.size(), false),
        new Facets(
            List.of(new FacetCount("Clothing", 1), new FacetCount("Clothing > Shoes", 1)),
            List.of(new FacetCount("Acme", 1))),
        new Timings(1.5, 2.5, 4.0),
        mode,
        text,
        false);
  }
}
