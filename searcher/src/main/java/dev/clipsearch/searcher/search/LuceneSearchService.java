package dev.clipsearch.searcher.search;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.indexer.index.IndexMetadata;
import dev.clipsearch.indexer.index.IndexQueries;
import dev.clipsearch.indexer.index.IndexSchema;
import dev.clipsearch.models.ModelSpec;
import dev.clipsearch.searcher.encode.ImageEmbedding;
import dev.clipsearch.searcher.encode.QueryEncoder;
import dev.clipsearch.searcher.encode.TextEmbedding;
import dev.clipsearch.searcher.metrics.ServerMetrics;
import dev.clipsearch.searcher.service.CatalogAdmin;
import dev.clipsearch.searcher.service.Classification;
import dev.clipsearch.searcher.service.ClassifyRequest;
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
import dev.clipsearch.searcher.service.SearchFilters;
import dev.clipsearch.searcher.service.SearchMode;
import dev.clipsearch.searcher.service.SearchOptions;
import dev.clipsearch.searcher.service.SearchResult;
import dev.clipsearch.searcher.service.SearchService;
import dev.clipsearch.searcher.service.ServiceStatus;
import dev.clipsearch.searcher.service.SimilarSearch;
import dev.clipsearch.searcher.service.StoredImage;
import dev.clipsearch.searcher.service.TextSearch;
import dev.clipsearch.searcher.service.Timings;
import dev.clipsearch.searcher.service.UpsertResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.SortedSetSortField;
import org.apache.lucene.search.TopDocs;

/**
 * The search service over a Lucene index: vector (HNSW) search with filters inside the graph
 * search, BM25, their reciprocal rank fusion, more-like-this, facets, zero-shot classification, and
 * admin updates through the index's writer. Thread-safe: every call works on one searcher acquired
 * from the {@link LiveIndex} and released at its end.
 *
 * <p>Scores: vector rankings report the cosine similarity of the best-matching image of each
 * product (Lucene's DOT_PRODUCT score {@code (1 + cos) / 2}, mapped back). Hybrid ranks by fused
 * rank but still reports the cosine similarity, computed exactly from the stored vectors for
 * products only BM25 found. Lexical reports BM25. Ties are broken by product id everywhere.
 */
public final class LuceneSearchService implements SearchService, CatalogAdmin {

  /** CLIP's temperature when a model does not state one. */
  static final double DEFAULT_LOGIT_SCALE = ModelSpec.DEFAULT_LOGIT_SCALE;

  private static final Sort BY_SCORE_THEN_ID =
      new Sort(SortField.FIELD_SCORE, new SortedSetSortField(IndexSchema.ID, false));

  private final LiveIndex index;
  private final QueryEncoder encoder;
  private final SearchSettings settings;
  private final ServerMetrics metrics;
  private final IndexMetadata metadata;
  private final ProductReader products;
  private final LexicalQueries lexical;
  private final FacetCounter facets;
  private final ObjectMapper mapper = new ObjectMapper();

  /**
   * @throws IllegalArgumentException when the encoder's model is not the one that built the index
   */
  public LuceneSearchService(
      LiveIndex index, QueryEncoder encoder, SearchSettings settings, ServerMetrics metrics) {
    this.index = index;
    this.encoder = encoder;
    this.settings = settings;
    this.metrics = metrics;
    this.metadata = index.metadata();
    ModelSpec model = encoder.spec();
    if (!metadata.isCompatibleWith(model)) {
      throw new IllegalArgumentException(
          "index "
              + index.path()
              + " was built with model "
              + metadata.describeModel()
              + ", not with '"
              + model.id()
              + "'");
    }
    this.products = new ProductReader(metadata);
    this.lexical = new LexicalQueries(settings.maxLexicalTerms());
    this.facets = new FacetCounter(settings.facetLimit());
    metrics.gauge(
        "clipsearch_index_products",
        "Products in the current reader",
        () -> index.search(s -> s.count(IndexSchema.productsQuery())));
    metrics.gauge(
        "clipsearch_index_images",
        "Product images (vectors) in the current reader",
        () -> index.search(s -> s.count(IndexSchema.imagesQuery())));
    metrics.gauge("clipsearch_index_size_bytes", "Size of the index directory", index::sizeOnDisk);
  }

  // ---------------------------------------------------------------------------------------------
  // Searches

  @Override
  public SearchResult search(TextSearch search) {
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
    return index.search(
        searcher -> {
          long searchStart = System.nanoTime();
          Query filter = filter(options.filters(), null);
          int window = window(options);
          List<Candidate> ranked =
              switch (mode) {
                case VECTOR -> knn(searcher, embedding.vector(), window, filter, "text");
                case LEXICAL -> lexical(searcher, text, window, filter);
                case HYBRID -> hybrid(searcher, text, embedding.vector(), window, filter);
              };
          return page(
              searcher, ranked, options, mode, text, truncated, encodeMs, searchStart, start);
        });
  }

  @Override
  public SearchResult searchByImage(ImageSearch search) {
    long start = System.nanoTime();
    ImageEmbedding embedding = encoder.encodeQueryImage(search.image());
    SearchOptions options = search.options();
    return index.search(
        searcher -> {
          long searchStart = System.nanoTime();
          List<Candidate> ranked =
              knn(
                  searcher,
                  embedding.vector(),
                  window(options),
                  filter(options.filters(), null),
                  "image");
          return page(
              searcher,
              ranked,
              options,
              SearchMode.VECTOR,
              null,
              false,
              embedding.millis(),
              searchStart,
              start);
        });
  }

  @Override
  public SearchResult similar(SimilarSearch search) {
    long start = System.nanoTime();
    SearchOptions options = search.options();
    return index.search(
        searcher -> {
          long searchStart = System.nanoTime();
          int doc = products.find(searcher, search.productId());
          if (doc < 0) {
            throw new ProductNotFoundException(search.productId());
          }
          Query filter = filter(options.filters(), search.productId());
          Map<Integer, Candidate> best = new HashMap<>();
          for (float[] vector : products.vectors(searcher.getIndexReader(), doc)) {
            for (Candidate c : knn(searcher, vector, window(options), filter, "similar")) {
              best.merge(c.productDoc(), c, (a, b) -> Candidate.byRankThenId(a, b) <= 0 ? a : b);
            }
          }
          List<Candidate> ranked = new ArrayList<>(best.values());
          ranked.sort(Candidate::byRankThenId);
          return page(
              searcher, ranked, options, SearchMode.VECTOR, null, false, 0, searchStart, start);
        });
  }

  /** How many products a ranking must hold: the page, one more (has_more), the facet window. */
  private int window(SearchOptions options) {
    return Math.max(options.offset() + options.k() + 1, settings.facetDepth());
  }

  private List<Candidate> knn(
      IndexSearcher searcher, float[] vector, int window, Query filter, String kind)
      throws IOException {
    int k = Math.max(window, settings.knnCandidates());
    long start = System.nanoTime();
    TopDocs top = searcher.search(IndexQueries.knn(metadata, vector, k, filter), k);
    metrics.recordKnn(kind, (System.nanoTime() - start) / 1e9);
    IndexReader reader = searcher.getIndexReader();
    int[] productDocs = new int[top.scoreDocs.length];
    for (int i = 0; i < productDocs.length; i++) {
      productDocs[i] = products.productOf(reader, top.scoreDocs[i].doc);
    }
    String[] ids = ProductReader.keywords(reader, productDocs, IndexSchema.ID);
    List<Candidate> out = new ArrayList<>(productDocs.length);
    for (int i = 0; i < productDocs.length; i++) {
      double cosine = 2.0 * top.scoreDocs[i].score - 1.0;
      out.add(new Candidate(productDocs[i], ids[i], cosine, top.scoreDocs[i].doc, cosine));
    }
    out.sort(Candidate::byRankThenId);
    return out;
  }

  private List<Candidate> lexical(IndexSearcher searcher, String text, int window, Query filter)
      throws IOException {
    BooleanQuery.Builder query =
        new BooleanQuery.Builder()
            .add(lexical.query(text), BooleanClause.Occur.MUST)
            .add(IndexSchema.productsQuery(), BooleanClause.Occur.FILTER);
    if (filter != null) {
      query.add(filter, BooleanClause.Occur.FILTER);
    }
    TopDocs top = searcher.search(query.build(), window, BY_SCORE_THEN_ID, true);
    int[] docs = new int[top.scoreDocs.length];
    for (int i = 0; i < docs.length; i++) {
      docs[i] = top.scoreDocs[i].doc;
    }
    String[] ids = ProductReader.keywords(searcher.getIndexReader(), docs, IndexSchema.ID);
    List<Candidate> out = new ArrayList<>(docs.length);
    for (int i = 0; i < docs.length; i++) {
      double score = ((FieldDoc) top.scoreDocs[i]).score;
      out.add(new Candidate(docs[i], ids[i], score, -1, score));
    }
    return out;
  }

  private List<Candidate> hybrid(
      IndexSearcher searcher, String text, float[] vector, int window, Query filter)
      throws IOException {
    List<Candidate> byVector = knn(searcher, vector, window, filter, "text");
    Map<Integer, Candidate> vectorHits = new HashMap<>();
    byVector.forEach(c -> vectorHits.put(c.productDoc(), c));
    List<Candidate> byText = new ArrayList<>();
    for (Candidate c : lexical(searcher, text, window, filter)) {
      Candidate v = vectorHits.get(c.productDoc());
      if (v != null) {
        byText.add(new Candidate(c.productDoc(), c.id(), v.score(), v.imageDoc(), c.rank()));
      } else {
        ProductReader.BestImage best =
            products.best(searcher.getIndexReader(), c.productDoc(), vector);
        byText.add(new Candidate(c.productDoc(), c.id(), best.cosine(), best.imageDoc(), c.rank()));
      }
    }
    return ReciprocalRankFusion.fuse(
        byVector, byText, settings.vectorWeight(), settings.lexicalWeight(), settings.rrfK());
  }

  /** The product-level filter query, or null for none; {@code exclude} drops one product. */
  private static Query filter(SearchFilters filters, String exclude) {
    List<Query> parts = new ArrayList<>();
    if (filters.categoryPrefix() != null) {
      parts.add(IndexQueries.categoryPrefix(filters.categoryPrefix()));
    }
    if (!filters.brands().isEmpty()) {
      parts.add(IndexQueries.brands(filters.brands()));
    }
    if (filters.priceMin() != null || filters.priceMax() != null) {
      parts.add(IndexQueries.priceRange(filters.priceMin(), filters.priceMax()));
    }
    if (!filters.tags().isEmpty()) {
      parts.add(IndexQueries.tags(filters.tags()));
    }
    if (exclude != null) {
      parts.add(IndexQueries.excludingProduct(exclude));
    }
    return IndexQueries.allOf(parts.toArray(Query[]::new));
  }

  private SearchResult page(
      IndexSearcher searcher,
      List<Candidate> ranked,
      SearchOptions options,
      SearchMode mode,
      String text,
      boolean truncated,
      double encodeMs,
      long searchStart,
      long start)
      throws IOException {
    List<Candidate> kept = ranked;
    if (options.minScore() != null) {
      double min = options.minScore();
      kept = ranked.stream().filter(c -> c.score() >= min).toList();
    }
    int from = Math.min(options.offset(), kept.size());
    int to = Math.min(options.offset() + options.k(), kept.size());
    List<Hit> hits = new ArrayList<>(to - from);
    StoredFields stored = searcher.storedFields();
    for (Candidate c : kept.subList(from, to)) {
      hits.add(hit(stored, c));
    }
    Facets counts =
        settings.facetDepth() == 0
            ? Facets.EMPTY
            : facets.count(
                searcher.getIndexReader(),
                kept.subList(0, Math.min(kept.size(), settings.facetDepth())));
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

  private Hit hit(StoredFields stored, Candidate c) throws IOException {
    JsonNode json = products.json(stored, c.productDoc());
    Integer image = c.imageDoc() < 0 ? null : products.imageIndex(stored, c.imageDoc());
    return new Hit(
        c.id(),
        text(json, "title"),
        number(json, "price"),
        text(json, "currency"),
        text(json, "category"),
        text(json, "brand"),
        c.score(),
        image);
  }

  private static String text(JsonNode json, String field) {
    JsonNode node = json.get(field);
    return node == null || node.isNull() ? null : node.asText();
  }

  private static Double number(JsonNode json, String field) {
    JsonNode node = json.get(field);
    return node == null || !node.isNumber() ? null : node.asDouble();
  }

  // ---------------------------------------------------------------------------------------------
  // Zero-shot classification

  @Override
  public Classification classify(ClassifyRequest request) {
    long start = System.nanoTime();
    ImageEmbedding image = encoder.encodeQueryImage(request.image());
    List<String> prompts = request.labels().stream().map(request::prompt).toList();
    List<float[]> texts = encoder.encodeTexts(prompts);
    double scale = encoder.spec().logitScale();
    if (!(scale > 0) || !Double.isFinite(scale)) {
      scale = DEFAULT_LOGIT_SCALE;
    }
    double[] similarity = new double[texts.size()];
    double maxLogit = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < similarity.length; i++) {
      similarity[i] = dot(image.vector(), texts.get(i));
      maxLogit = Math.max(maxLogit, scale * similarity[i]);
    }
    double[] weights = new double[similarity.length];
    double sum = 0;
    for (int i = 0; i < weights.length; i++) {
      weights[i] = Math.exp(scale * similarity[i] - maxLogit); // shifted: no overflow
      sum += weights[i];
    }
    List<LabelScore> scores = new ArrayList<>(weights.length);
    int best = 0;
    for (int i = 0; i < weights.length; i++) {
      scores.add(
          new LabelScore(request.labels().get(i), prompts.get(i), weights[i] / sum, similarity[i]));
      if (weights[i] > weights[best]) {
        best = i;
      }
    }
    double total = (System.nanoTime() - start) / 1e6;
    return new Classification(scores, request.labels().get(best), new Timings(total, 0, total));
  }

  private static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (double) a[i] * b[i];
    }
    return sum;
  }

  // ---------------------------------------------------------------------------------------------
  // Products

  @Override
  public ProductDetails product(String id) {
    return index.search(
        searcher -> {
          int doc = requireProduct(searcher, id);
          JsonNode json = products.json(searcher.storedFields(), doc);
          List<ProductImage> images = new ArrayList<>();
          for (ProductReader.ImageDoc image : products.images(searcher, doc)) {
            images.add(
                new ProductImage(image.index(), image.source(), original(image.source()) != null));
          }
          List<String> tags =
              json.has("tags")
                  ? mapper.convertValue(json.get("tags"), new TypeReference<List<String>>() {})
                  : List.of();
          Map<String, Object> attributes =
              json.has("attributes")
                  ? mapper.convertValue(
                      json.get("attributes"), new TypeReference<Map<String, Object>>() {})
                  : Map.of();
          return new ProductDetails(
              id,
              text(json, "title"),
              text(json, "description"),
              number(json, "price"),
              text(json, "currency"),
              text(json, "category"),
              text(json, "brand"),
              tags,
              text(json, "url"),
              attributes,
              images);
        });
  }

  @Override
  public StoredImage thumbnail(String id, int image) {
    return index.search(
        searcher -> {
          ProductReader.ImageDoc found = requireImage(searcher, id, image);
          byte[] bytes = products.thumbnail(searcher, found.doc());
          if (bytes == null) {
            throw new ProductNotFoundException(
                id, "the index keeps no thumbnail for image " + image + " of product '" + id + "'");
          }
          return new StoredImage(bytes, IndexSchema.THUMBNAIL_MIME_TYPE);
        });
  }

  @Override
  public OriginalImage originalImage(String id, int image) {
    String source = index.search(searcher -> requireImage(searcher, id, image).source());
    OriginalImage original = original(source);
    if (original == null) {
      throw new ProductNotFoundException(
          id,
          "the original of image "
              + image
              + " of product '"
              + id
              + "' is not available from this server");
    }
    return original;
  }

  private int requireProduct(IndexSearcher searcher, String id) throws IOException {
    int doc = products.find(searcher, id);
    if (doc < 0) {
      throw new ProductNotFoundException(id);
    }
    return doc;
  }

  private ProductReader.ImageDoc requireImage(IndexSearcher searcher, String id, int image)
      throws IOException {
    int doc = requireProduct(searcher, id);
    for (ProductReader.ImageDoc candidate : products.images(searcher, doc)) {
      if (candidate.index() == image) {
        return candidate;
      }
    }
    throw new ProductNotFoundException(id, "product '" + id + "' has no image " + image);
  }

  /**
   * Where an image reference can be served from: http(s) URLs as redirects, local files under
   * {@link SearchSettings#imagesRoot()} (and only there); null otherwise.
   */
  private OriginalImage original(String source) {
    if (source == null || source.startsWith(UploadedProducts.UPLOAD_PREFIX)) {
      return null;
    }
    String lower = source.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      try {
        return OriginalImage.remote(new URI(source.strip()));
      } catch (URISyntaxException e) {
        return null;
      }
    }
    Path root = settings.imagesRoot();
    if (root == null) {
      return null;
    }
    try {
      Path path = lower.startsWith("file:") ? Path.of(new URI(source.strip())) : Path.of(source);
      Path base = root.toAbsolutePath().normalize();
      Path file = (path.isAbsolute() ? path : base.resolve(path)).normalize();
      if (!file.startsWith(base) || !Files.isRegularFile(file) || !Files.isReadable(file)) {
        return null;
      }
      return OriginalImage.local(file, Files.probeContentType(file));
    } catch (URISyntaxException | IllegalArgumentException e) { // InvalidPathException too
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public ServiceStatus status() {
    long[] counts =
        index.search(
            s ->
                new long[] {
                  s.count(IndexSchema.productsQuery()), s.count(IndexSchema.imagesQuery())
                });
    return new ServiceStatus(
        true, metadata.modelId(), metadata.dimension(), counts[0], counts[1], index.sizeOnDisk());
  }

  // ---------------------------------------------------------------------------------------------
  // Admin

  @Override
  public UpsertResult upsert(ProductUpload upload) {
    List<ImageEmbedding> embeddings = encoder.encodeCatalogImages(upload.images());
    var product = UploadedProducts.build(upload, embeddings);
    boolean existed = index.search(s -> products.find(s, upload.id()) >= 0);
    try {
      index.upsert(product);
    } catch (IOException e) {
      throw new UncheckedIOException("writing product '" + upload.id() + "' failed", e);
    }
    return new UpsertResult(upload.id(), !existed, embeddings.size());
  }

  @Override
  public boolean delete(String id) {
    try {
      return index.delete(id);
    } catch (IOException e) {
      throw new UncheckedIOException("deleting product '" + id + "' failed", e);
    }
  }
}
