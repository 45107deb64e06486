package dev.clipsearch.searcher.search;

import dev.clipsearch.common.catalog.ProductJson;
import dev.clipsearch.common.catalog.ProductSummary;
import dev.clipsearch.indexer.store.FacetCounts;
import dev.clipsearch.indexer.store.FacetValue;
import dev.clipsearch.indexer.store.MatchedProduct;
import dev.clipsearch.indexer.store.ProductFilter;
import dev.clipsearch.indexer.store.ProductMatch;
import dev.clipsearch.indexer.store.SearchStore;
import dev.clipsearch.indexer.store.StoreView;
import dev.clipsearch.searcher.encode.ImageEmbedding;
import dev.clipsearch.searcher.encode.QueryEncoder;
import dev.clipsearch.searcher.encode.TextEmbedding;
import dev.clipsearch.searcher.metrics.ServerMetrics;
import dev.clipsearch.searcher.service.ComposedSearch;
import dev.clipsearch.searcher.service.FacetCount;
import dev.clipsearch.searcher.service.Facets;
import dev.clipsearch.searcher.service.Hit;
import dev.clipsearch.searcher.service.ImageSearch;
import dev.clipsearch.searcher.service.InvalidImageException;
import dev.clipsearch.searcher.service.InvalidQueryException;
import dev.clipsearch.searcher.service.Paging;
import dev.clipsearch.searcher.service.ProductNotFoundException;
import dev.clipsearch.searcher.service.QueryPart;
import dev.clipsearch.searcher.service.SearchFilters;
import dev.clipsearch.searcher.service.SearchMode;
import dev.clipsearch.searcher.service.SearchOptions;
import dev.clipsearch.searcher.service.SearchResult;
import dev.clipsearch.searcher.service.SimilarSearch;
import dev.clipsearch.searcher.service.TextSearch;
import dev.clipsearch.searcher.service.Timings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ranks products for text, image, more-like-this and composed searches over a {@link SearchStore}:
 * vector search with filters inside the store's KNN, BM25, their reciprocal rank fusion, then
 * {@code min_score}, paging and facet counts. Every search works on one {@link StoreView}, so a
 * request sees one state of the store. Thread-safe.
 *
 * <p>Scores: vector rankings report the cosine similarity of the best-matching image of each
 * product. Hybrid ranks by fused rank but still reports the cosine similarity, computed exactly
 * from the stored vectors for products only BM25 found. Lexical reports BM25. Ties are broken by
 * product id everywhere.
 */
final class ProductRanking {

  private static final List<String> FACETS = List.of(FacetCounts.CATEGORY, FacetCounts.BRAND);

  private final SearchStore store;
  private final QueryEncoder encoder;
  private final SearchSettings settings;
  private final ServerMetrics metrics;

  ProductRanking(
      SearchStore store, QueryEncoder encoder, SearchSettings settings, ServerMetrics metrics) {
    this.store = store;
    this.encoder = encoder;
    this.settings = settings;
    this.metrics = metrics;
  }

  SearchResult search(TextSearch search) {
    long start = System.nanoTime();
    SearchOptions options = search.options();
    SearchMode mode = search.mode();
    String text = encoder.prepareText(search.query());
    TextEmbedding embedding = mode == SearchMode.LEXICAL ? null : encoder.encodeText(text);
    // Cut to the server's limit, or (when the model reads it) to the model's context.
    boolean truncated =
        text.length() < search.query().strip().length()
            || (embedding != null && embedding.truncated());
    double encodeMs = embedding == null ? 0 : embedding.millis();
    try (StoreView view = store.view()) {
      long searchStart = System.nanoTime();
      ProductFilter filter = filter(options.filters());
      int window = window(options);
      List<Candidate> ranked =
          switch (mode) {
            case VECTOR -> knn(view, embedding.vector(), window, filter, "text");
            case LEXICAL -> lexical(view, text, window, filter);
            case HYBRID -> hybrid(view, text, embedding.vector(), window, filter, Set.of());
          };
      return page(view, ranked, options, mode, text, truncated, encodeMs, searchStart, start);
    }
  }

  SearchResult searchByImage(ImageSearch search) {
    long start = System.nanoTime();
    ImageEmbedding embedding = encoder.encodeQueryImage(search.image());
    SearchOptions options = search.options();
    try (StoreView view = store.view()) {
      long searchStart = System.nanoTime();
      List<Candidate> ranked =
          knn(view, embedding.vector(), window(options), filter(options.filters()), "image");
      return page(
          view,
          ranked,
          options,
          SearchMode.VECTOR,
          null,
          false,
          embedding.millis(),
          searchStart,
          start);
    }
  }

  /**
   * More like this: a composed search of the one product, so one graph search over the normalized
   * mean of its image vectors, whatever its number of images, with the product dropped from the
   * ranking rather than filtered out inside the graph search (a filter would cost a pass over every
   * product; see docs/benchmarks.md).
   */
  SearchResult similar(SimilarSearch search) {
    ComposedSearch composed =
        new ComposedSearch(
            List.of(new QueryPart.Product(search.productId(), 1.0)),
            SearchMode.VECTOR,
            search.options());
    try {
      return composed(composed, "similar");
    } catch (ProductNotFoundException e) {
      throw new ProductNotFoundException(search.productId());
    }
  }

  SearchResult composed(ComposedSearch search) {
    return composed(search, "composed");
  }

  /**
   * The parts' weighted sum, normalized, searched once. The products named in parts are dropped
   * from the rankings (asking for as many more candidates) instead of being filtered out inside the
   * store's search: an exclusion filter turns a plain graph search into a filtered one that first
   * visits every product.
   */
  private SearchResult composed(ComposedSearch search, String kind) {
    long start = System.nanoTime();
    SearchOptions options = search.options();
    List<QueryPart> parts = search.parts();
    float[] sum = new float[encoder.spec().dimension()];
    double encodeMs = 0;
    boolean truncated = false;
    List<String> lexicalTexts = new ArrayList<>();
    // Texts and images are encoded before a view is taken: no view is held during inference.
    for (int i = 0; i < parts.size(); i++) {
      QueryPart part = parts.get(i);
      switch (part) {
        case QueryPart.Text t -> {
          TextEmbedding e = encoder.encodeText(t.text());
          QueryVectors.addScaled(sum, e.vector(), t.weight());
          encodeMs += e.millis();
          truncated |= e.truncated();
          if (t.weight() > 0) {
            lexicalTexts.add(e.text());
          }
        }
        case QueryPart.Image im -> {
          ImageEmbedding e;
          try {
            e = encoder.encodeQueryImage(im.image());
          } catch (InvalidImageException ex) {
            throw new InvalidImageException(ex.reason(), partName(i) + ": " + ex.getMessage(), ex);
          }
          QueryVectors.addScaled(sum, e.vector(), im.weight());
          encodeMs += e.millis();
        }
        case QueryPart.Product p -> {} // read from the view below
      }
    }
    try (StoreView view = store.view()) {
      long searchStart = System.nanoTime();
      Set<String> excluded = new HashSet<>();
      for (int i = 0; i < parts.size(); i++) {
        if (parts.get(i) instanceof QueryPart.Product p) {
          String name = partName(i);
          List<float[]> vectors =
              view.imageVectors(p.productId())
                  .orElseThrow(
                      () ->
                          new ProductNotFoundException(
                              p.productId(),
                              name + ": no product with id '" + p.productId() + "'"));
          if (vectors.isEmpty()) {
            throw new InvalidQueryException(
                name, name + ": product '" + p.productId() + "' has no stored image vector");
          }
          QueryVectors.addScaled(sum, QueryVectors.normalizedMean(vectors), p.weight());
          excluded.add(p.productId());
        }
      }
      float[] vector = QueryVectors.normalize(sum);
      if (vector == null) {
        throw new InvalidQueryException(
            "parts", "the parts cancel each other out: their weighted sum is the zero vector");
      }
      ProductFilter filter = filter(options.filters());
      int window = window(options) + excluded.size();
      boolean lexical = search.mode() == SearchMode.HYBRID && !lexicalTexts.isEmpty();
      String text = lexical ? String.join(" ", lexicalTexts) : null;
      List<Candidate> ranked =
          lexical
              ? hybrid(view, text, vector, window, filter, excluded)
              : without(excluded, knn(view, vector, window, filter, kind));
      return page(
          view,
          ranked,
          options,
          lexical ? SearchMode.HYBRID : SearchMode.VECTOR,
          text,
          truncated,
          encodeMs,
          searchStart,
          start);
    }
  }

  /** How a part is named in messages: its position in the request's {@code parts}, from 0. */
  static String partName(int index) {
    return "parts[" + index + "]";
  }

  /** How many products a ranking must hold: the page, one more (has_more), the facet window. */
  private int window(SearchOptions options) {
    return Math.max(options.offset() + options.k() + 1, settings.facetDepth());
  }

  private List<Candidate> knn(
      StoreView view, float[] vector, int window, ProductFilter filter, String kind) {
    int k = Math.max(window, settings.knnCandidates());
    long start = System.nanoTime();
    List<ProductMatch> matches = view.knn(vector, k, filter);
    metrics.recordKnn(kind, (System.nanoTime() - start) / 1e9);
    List<Candidate> out = new ArrayList<>(matches.size());
    for (ProductMatch match : matches) {
      out.add(Candidate.of(match)); // the store ranks best first, ties by id
    }
    return out;
  }

  private List<Candidate> lexical(StoreView view, String text, int window, ProductFilter filter) {
    List<ProductMatch> matches = view.lexical(text, settings.maxLexicalTerms(), window, filter);
    List<Candidate> out = new ArrayList<>(matches.size());
    for (ProductMatch match : matches) {
      out.add(Candidate.of(match));
    }
    return out;
  }

  private List<Candidate> hybrid(
      StoreView view,
      String text,
      float[] vector,
      int window,
      ProductFilter filter,
      Set<String> excluded) {
    List<Candidate> byVector = without(excluded, knn(view, vector, window, filter, "text"));
    Map<String, Candidate> vectorHits = new HashMap<>();
    byVector.forEach(c -> vectorHits.put(c.id(), c));
    List<Candidate> byText = new ArrayList<>();
    for (Candidate c : without(excluded, lexical(view, text, window, filter))) {
      Candidate v = vectorHits.get(c.id());
      ProductMatch scored = v != null ? v.match() : view.bestImage(c.match(), vector);
      byText.add(new Candidate(scored, c.rank()));
    }
    return ReciprocalRankFusion.fuse(
        byVector, byText, settings.vectorWeight(), settings.lexicalWeight(), settings.rrfK());
  }

  /** The ranking without these products, in the same order. */
  private static List<Candidate> without(Set<String> excluded, List<Candidate> ranked) {
    if (excluded.isEmpty()) {
      return ranked;
    }
    List<Candidate> out = new ArrayList<>(ranked.size());
    for (Candidate c : ranked) {
      if (!excluded.contains(c.id())) {
        out.add(c);
      }
    }
    return out;
  }

  /** The store's filter for a request's filters. */
  private static ProductFilter filter(SearchFilters filters) {
    return new ProductFilter(
        filters.categoryPrefix(),
        filters.brands(),
        filters.priceMin(),
        filters.priceMax(),
        filters.tags(),
        null,
        filters.attributes());
  }

  private SearchResult page(
      StoreView view,
      List<Candidate> ranked,
      SearchOptions options,
      SearchMode mode,
      String text,
      boolean truncated,
      double encodeMs,
      long searchStart,
      long start) {
    List<Candidate> kept = ranked;
    if (options.minScore() != null) {
      double min = options.minScore();
      kept = ranked.stream().filter(c -> c.score() >= min).toList();
    }
    int from = Math.min(options.offset(), kept.size());
    int to = Math.min(options.offset() + options.k(), kept.size());
    List<Hit> hits = new ArrayList<>(to - from);
    for (MatchedProduct loaded : view.load(matches(kept.subList(from, to)))) {
      hits.add(hit(loaded));
    }
    Facets counts = Facets.EMPTY;
    if (settings.facetDepth() > 0 && options.facets()) {
      List<String> attributes = view.attributeFacets();
      List<String> facets = FACETS;
      if (!attributes.isEmpty()) {
        facets = new ArrayList<>(FACETS);
        facets.addAll(attributes);
      }
      counts =
          facets(
              view.facets(
                  matches(kept.subList(0, Math.min(kept.size(), settings.facetDepth()))),
                  facets,
                  settings.facetLimit()),
              attributes);
    }
    long end = System.nanoTime();
    return new SearchResult(
        hits,
        new Paging(options.k(), options.offset(), hits.size(), kept.size() > to),
        counts,
        new Timings(encodeMs, (end - searchStart) / 1e6, (end - start) / 1e6),
        mode,
        text,
        truncated);
  }

  private static List<ProductMatch> matches(List<Candidate> candidates) {
    List<ProductMatch> out = new ArrayList<>(candidates.size());
    for (Candidate c : candidates) {
      out.add(c.match());
    }
    return out;
  }

  private static Hit hit(MatchedProduct loaded) {
    ProductSummary json = ProductJson.summary(loaded.json());
    ProductMatch match = loaded.match();
    return new Hit(
        match.productId(),
        json.title(),
        json.priceAsDouble(),
        json.currency(),
        json.category(),
        json.brand(),
        match.score(),
        loaded.matchedImage());
  }

  private static Facets facets(FacetCounts counts, List<String> attributeFacets) {
    Map<String, List<FacetCount>> attributes = new LinkedHashMap<>();
    for (String facet : attributeFacets) {
      List<FacetValue> values = counts.get(facet);
      if (!values.isEmpty()) {
        attributes.put(facet, facetCounts(values));
      }
    }
    return new Facets(
        facetCounts(counts.get(FacetCounts.CATEGORY)),
        facetCounts(counts.get(FacetCounts.BRAND)),
        attributes);
  }

  private static List<FacetCount> facetCounts(List<FacetValue> values) {
    List<FacetCount> out = new ArrayList<>(values.size());
    for (FacetValue v : values) {
      out.add(new FacetCount(v.value(), v.count()));
    }
    return out;
  }
}
