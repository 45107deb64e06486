package dev.clipsearch.searcher.search;

import dev.clipsearch.indexer.store.SearchStore;
import dev.clipsearch.indexer.store.StoreSizes;
import dev.clipsearch.models.ModelSpec;
import dev.clipsearch.searcher.classify.ZeroShotClassifier;
import dev.clipsearch.searcher.encode.QueryEncoder;
import dev.clipsearch.searcher.metrics.ServerMetrics;
import dev.clipsearch.searcher.service.Classification;
import dev.clipsearch.searcher.service.ClassifyRequest;
import dev.clipsearch.searcher.service.ComposedSearch;
import dev.clipsearch.searcher.service.ImageSearch;
import dev.clipsearch.searcher.service.OriginalImage;
import dev.clipsearch.searcher.service.ProductDetails;
import dev.clipsearch.searcher.service.SearchResult;
import dev.clipsearch.searcher.service.SearchService;
import dev.clipsearch.searcher.service.ServiceStatus;
import dev.clipsearch.searcher.service.SimilarSearch;
import dev.clipsearch.searcher.service.StoredImage;
import dev.clipsearch.searcher.service.TextSearch;

/**
 * The search service over any {@link SearchStore}: ranking ({@link ProductRanking}), zero-shot
 * classification ({@link ZeroShotClassifier}) and product pages ({@link ProductLookup}) behind the
 * one interface the HTTP API calls. Admin writes are the separate {@link StoreCatalogAdmin}.
 * Thread-safe.
 */
public final class StoreSearchService implements SearchService {

  private final SearchStore store;
  private final ProductRanking ranking;
  private final ZeroShotClassifier classifier;
  private final ProductLookup products;

  /**
   * @throws IllegalArgumentException when the encoder's model is not the one that built the store
   */
  public StoreSearchService(
      SearchStore store, QueryEncoder encoder, SearchSettings settings, ServerMetrics metrics) {
    ModelSpec model = encoder.spec();
    if (!store.metadata().isCompatibleWith(model)) {
      throw new IllegalArgumentException(
          store.location()
              + " was built with model "
              + store.metadata().describeModel()
              + ", not with '"
              + model.id()
              + "'");
    }
    this.store = store;
    this.ranking = new ProductRanking(store, encoder, settings, metrics);
    this.classifier = new ZeroShotClassifier(encoder);
    this.products = new ProductLookup(store, new OriginalImages(settings.imagesRoot()));
  }

  @Override
  public SearchResult search(TextSearch search) {
    return ranking.search(search);
  }

  @Override
  public SearchResult searchByImage(ImageSearch search) {
    return ranking.searchByImage(search);
  }

  @Override
  public SearchResult similar(SimilarSearch search) {
    return ranking.similar(search);
  }

  @Override
  public SearchResult composedSearch(ComposedSearch search) {
    return ranking.composed(search);
  }

  @Override
  public Classification classify(ClassifyRequest request) {
    return classifier.classify(request);
  }

  @Override
  public ProductDetails product(String id) {
    return products.product(id);
  }

  @Override
  public StoredImage thumbnail(String id, int image) {
    return products.thumbnail(id, image);
  }

  @Override
  public OriginalImage originalImage(String id, int image) {
    return products.originalImage(id, image);
  }

  @Override
  public ServiceStatus status() {
    StoreSizes sizes = store.sizes();
    return new ServiceStatus(
        store.ready(),
        store.metadata().modelId(),
        store.metadata().dimension(),
        sizes.products(),
        sizes.images(),
        sizes.bytes());
  }
}
