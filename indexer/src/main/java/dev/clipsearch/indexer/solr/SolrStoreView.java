package dev.clipsearch.indexer.solr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.indexer.index.IndexSchema;
import dev.clipsearch.indexer.index.ProductDocuments;
import dev.clipsearch.indexer.index.search.LexicalQueries;
import dev.clipsearch.indexer.store.FacetCounts;
import dev.clipsearch.indexer.store.FacetValue;
import dev.clipsearch.indexer.store.ImageRecord;
import dev.clipsearch.indexer.store.IndexedProduct;
import dev.clipsearch.indexer.store.MatchedProduct;
import dev.clipsearch.indexer.store.ProductFilter;
import dev.clipsearch.indexer.store.ProductMatch;
import dev.clipsearch.indexer.store.ProductRecord;
import dev.clipsearch.indexer.store.StoreView;
import dev.clipsearch.indexer.store.Thumbnail;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.util.VectorUtil;

/**
 * A {@link StoreView} on a Solr collection. Every call is its own Solr request (or a few).
 *
 * <p><b>Not a point in time.</b> Solr cannot hold one searcher across requests, so each call sees
 * the collection as it is when the call runs: a product written or deleted while the view is open
 * shows up in (or disappears from) the view's later calls. What a view guarantees: each single call
 * is consistent (one searcher per shard), every write that returned before a call is seen by it,
 * and {@link #load} leaves out a product deleted since it was found rather than failing.
 *
 * <p>Handles are this view's own: positions in its tables of the products and images it returned.
 * Which image of a knn match matched is not said by Solr's block join; {@link #load} works it out
 * for the products shown, exactly (the stored vector nearest to the query), as the interface
 * intends. Used by one thread, like every view.
 */
final class SolrStoreView implements StoreView {

  /** The knn's images per shard, at least this many (HNSW explores more with a larger top k). */
  private static final int MIN_TOP_K = 50;

  /** Images fetched per product match at first (products have several images). */
  private static final int IMAGES_PER_PRODUCT = 4;

  private static final String VECTOR_FIELDS =
      IndexSchema.IMAGE_INDEX + "," + SolrDocuments.IMAGE_VECTOR;

  private static final LexicalQueries LEXICAL = new LexicalQueries();

  private final SolrSearchStore store;
  private final SolrCloudClient client;
  private final String collection;

  /** Product handle to product id. */
  private final List<String> products = new ArrayList<>();

  private final Map<String, Long> productHandles = new HashMap<>();

  /** Image handle to image; an image of a knn match is found at {@link #load}. */
  private final List<ImageRef> images = new ArrayList<>();

  private final Map<String, Long> imageHandles = new HashMap<>();

  /** An image of a product: its catalog index, or -1 with the query it was the nearest image to. */
  private record ImageRef(String productId, int index, float[] nearestTo) {}

  SolrStoreView(SolrSearchStore store) {
    this.store = store;
    this.client = store.client();
    this.collection = store.collection();
  }

  private long productHandle(String id) {
    return productHandles.computeIfAbsent(
        id,
        k -> {
          products.add(k);
          return (long) products.size() - 1;
        });
  }

  private long imageHandle(String productId, int index) {
    return imageHandles.computeIfAbsent(
        SolrDocuments.imageId(productId, index),
        k -> {
          images.add(new ImageRef(productId, index, null));
          return (long) images.size() - 1;
        });
  }

  private String productOf(long handle) {
    if (handle < 0 || handle >= products.size()) {
      throw new IllegalArgumentException("handle " + handle + " is not a product of this view");
    }
    return products.get((int) handle);
  }

  private ImageRef imageOf(long handle) {
    if (handle < 0 || handle >= images.size()) {
      throw new IllegalArgumentException("handle " + handle + " is not an image of this view");
    }
    return images.get((int) handle);
  }

  /**
   * Solr's {@code {!parent score=max}} over a filtered {@code {!knn}} of image documents. The knn
   * takes the top images, not products: when they hold fewer than {@code k} products although more
   * images exist, it is asked again for four times as many images.
   */
  @Override
  public List<ProductMatch> knn(float[] vector, int k, ProductFilter filter) {
    try {
      List<String> filters = SolrQueries.filters(filter);
      int topK = Math.max(MIN_TOP_K, k * IMAGES_PER_PRODUCT);
      List<SolrCloudClient.Hit> hits;
      while (true) {
        hits = client.knn(collection, store.metadata().vectorField(), vector, k, topK, filters);
        if (hits.size() >= k) {
          break;
        }
        long stored = client.countImages(collection);
        if (topK >= stored) {
          break;
        }
        topK = (int) Math.min(Math.min(stored, Integer.MAX_VALUE), (long) topK * 4);
      }
      List<ProductMatch> out = new ArrayList<>(hits.size());
      for (SolrCloudClient.Hit hit : hits) {
        images.add(new ImageRef(hit.id(), -1, vector));
        // Solr's DOT_PRODUCT score is (1 + cosine) / 2, as in Lucene.
        out.add(
            new ProductMatch(
                hit.id(), 2.0 * hit.score() - 1.0, productHandle(hit.id()), images.size() - 1));
      }
      return out;
    } catch (SolrException e) {
      throw store.searchFailed(e);
    }
  }

  @Override
  public List<ProductMatch> lexical(String text, int maxTerms, int k, ProductFilter filter) {
    try {
      List<String> terms = LEXICAL.terms(text, maxTerms);
      List<ProductMatch> out = new ArrayList<>();
      for (SolrCloudClient.Hit hit :
          client.lexicalTerms(collection, terms, k, SolrQueries.filters(filter))) {
        out.add(
            new ProductMatch(
                hit.id(), hit.score(), productHandle(hit.id()), ProductMatch.NO_IMAGE));
      }
      return out;
    } catch (SolrException e) {
      throw store.searchFailed(e);
    }
  }

  /** The product's image nearest to {@code vector}: its exact cosine, from the stored vectors. */
  @Override
  public ProductMatch bestImage(ProductMatch match, float[] vector) {
    String id = productOf(match.productHandle());
    JsonNode doc = fetch(List.of(id), false, true).get(id);
    if (doc == null) {
      throw store.searchFailed(
          new SolrException("product " + id + " was deleted while it was being read", 404));
    }
    Nearest nearest = nearest(doc, vector);
    return match.withImage(nearest.cosine(), imageHandle(id, nearest.index()));
  }

  private record Nearest(int index, double cosine) {}

  /** The stored image nearest to {@code vector} (the first one on ties), as the embedded index. */
  private static Nearest nearest(JsonNode product, float[] vector) {
    int best = -1;
    double bestCosine = Double.NEGATIVE_INFINITY;
    for (JsonNode image : SolrDocuments.images(product)) {
      double cosine = VectorUtil.dotProduct(vector, SolrDocuments.vector(image));
      if (cosine > bestCosine) {
        bestCosine = cosine;
        best = image.path(IndexSchema.IMAGE_INDEX).asInt();
      }
    }
    return new Nearest(best, bestCosine);
  }

  /**
   * One request for the JSON of every match (and the image vectors of knn matches, to name their
   * matched image). A product deleted since it was found is left out.
   */
  @Override
  public List<MatchedProduct> load(List<ProductMatch> matches) {
    Set<String> ids = new LinkedHashSet<>();
    boolean vectors = false;
    for (ProductMatch m : matches) {
      ids.add(productOf(m.productHandle()));
      vectors |= m.hasImage() && imageOf(m.imageHandle()).index() < 0;
    }
    Map<String, JsonNode> docs = fetch(ids, true, vectors);
    List<MatchedProduct> out = new ArrayList<>(matches.size());
    for (ProductMatch m : matches) {
      JsonNode doc = docs.get(productOf(m.productHandle()));
      if (doc == null) {
        continue;
      }
      Integer image = null;
      if (m.hasImage()) {
        ImageRef ref = imageOf(m.imageHandle());
        image = ref.index() >= 0 ? ref.index() : nearest(doc, ref.nearestTo()).index();
      }
      out.add(new MatchedProduct(m, doc.path(IndexSchema.PRODUCT_JSON).asText(), image));
    }
    return out;
  }

  /** Product documents by id, with their JSON and/or their images' vectors. */
  private Map<String, JsonNode> fetch(Set<String> ids, boolean json, boolean vectors) {
    return fetch(List.copyOf(ids), json, vectors);
  }

  private Map<String, JsonNode> fetch(List<String> ids, boolean json, boolean vectors) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    String fl =
        IndexSchema.ID
            + (json ? "," + IndexSchema.PRODUCT_JSON + "," + IndexSchema.ATTRIBUTES_JSON : "")
            + (vectors ? "," + SolrSnapshot.children(VECTOR_FIELDS) : "");
    try {
      JsonNode answer =
          client.select(
              collection,
              List.of(
                  Map.entry("q", SolrQueries.productIds(ids)),
                  Map.entry("fq", SolrQueries.PRODUCTS),
                  Map.entry("fl", fl),
                  Map.entry("rows", Integer.toString(ids.size()))));
      for (JsonNode doc : answer.path("response").path("docs")) {
        out.put(doc.path(IndexSchema.ID).asText(), doc);
      }
      return out;
    } catch (SolrException e) {
      throw store.searchFailed(e);
    }
  }

  /**
   * Counts over the matched products with Solr's JSON facets ({@code category} from the ancestor
   * paths each product is filed under, {@code attr.<name>} from the attribute's field), every
   * bucket fetched so that the counts are exact on any number of shards; ordered and cut as the
   * embedded index does.
   */
  @Override
  public FacetCounts facets(List<ProductMatch> matches, List<String> facets, int limit) {
    List<String> fields = new ArrayList<>();
    for (String facet : facets) {
      fields.add(
          switch (facet) {
            case FacetCounts.BRAND -> IndexSchema.BRAND;
            case FacetCounts.CATEGORY -> IndexSchema.CATEGORY_PATH;
            default -> attributeField(facet);
          });
    }
    Map<String, List<FacetValue>> out = new LinkedHashMap<>();
    if (matches.isEmpty() || facets.isEmpty()) {
      facets.forEach(f -> out.put(f, List.of()));
      return new FacetCounts(out);
    }
    Set<String> ids = new LinkedHashSet<>();
    matches.forEach(m -> ids.add(productOf(m.productHandle())));
    try {
      Map<String, List<SolrCloudClient.Bucket>> buckets =
          client.facets(collection, List.of(SolrQueries.productIds(ids)), fields, -1);
      for (int i = 0; i < facets.size(); i++) {
        List<FacetValue> values = new ArrayList<>();
        for (SolrCloudClient.Bucket b : buckets.getOrDefault(fields.get(i), List.of())) {
          values.add(new FacetValue(b.value(), Math.toIntExact(b.count())));
        }
        values.sort(
            Comparator.comparingInt(FacetValue::count).reversed().thenComparing(FacetValue::value));
        out.put(facets.get(i), List.copyOf(values.subList(0, Math.min(limit, values.size()))));
      }
      return new FacetCounts(out);
    } catch (SolrException e) {
      throw store.searchFailed(e);
    }
  }

  /** The field of facet {@code attr.<name>}: the facet's own name. */
  private static String attributeField(String facet) {
    if (!facet.startsWith(FacetCounts.ATTRIBUTE_PREFIX)
        || !IndexedProduct.isAttributeName(
            facet.substring(FacetCounts.ATTRIBUTE_PREFIX.length()))) {
      throw new IllegalArgumentException("unknown facet '" + facet + "'");
    }
    return IndexSchema.attributeField(facet.substring(FacetCounts.ATTRIBUTE_PREFIX.length()));
  }

  /** A terms facet on every product's attribute names: those some stored product has. */
  @Override
  public List<String> attributeFacets() {
    try {
      List<String> out = new ArrayList<>();
      for (SolrCloudClient.Bucket b :
          client
              .facets(collection, List.of(), List.of(SolrDocuments.ATTRIBUTE_NAMES), -1)
              .getOrDefault(SolrDocuments.ATTRIBUTE_NAMES, List.of())) {
        out.add(FacetCounts.ATTRIBUTE_PREFIX + b.value());
      }
      out.sort(Comparator.naturalOrder());
      return List.copyOf(out);
    } catch (SolrException e) {
      throw store.searchFailed(e);
    }
  }

  @Override
  public boolean contains(String id) {
    return !fetch(List.of(id), false, false).isEmpty();
  }

  @Override
  public Optional<ProductRecord> product(String id) {
    return withImages(id, true)
        .map(
            doc ->
                new ProductRecord(
                    id,
                    doc.path(IndexSchema.PRODUCT_JSON).asText(),
                    records(doc),
                    attributes(doc)));
  }

  @Override
  public Optional<List<ImageRecord>> images(String id) {
    return withImages(id, false).map(this::records);
  }

  private Optional<JsonNode> withImages(String id, boolean json) {
    String fl =
        IndexSchema.ID
            + (json ? "," + IndexSchema.PRODUCT_JSON + "," + IndexSchema.ATTRIBUTES_JSON : "")
            + ","
            + SolrSnapshot.children(IndexSchema.IMAGE_INDEX + "," + IndexSchema.IMAGE_SOURCE);
    try {
      return Optional.ofNullable(SolrQueries.product(client, collection, id, fl));
    } catch (SolrException e) {
      throw store.searchFailed(e);
    }
  }

  /** The zero-shot attributes stored with a product document, or none. */
  private Map<String, String> attributes(JsonNode product) {
    try {
      return ProductDocuments.attributesFromJson(
          product.path(IndexSchema.ATTRIBUTES_JSON).asText(null));
    } catch (IOException e) {
      throw store.searchFailed(e);
    }
  }

  private List<ImageRecord> records(JsonNode product) {
    String id = product.path(IndexSchema.ID).asText();
    List<ImageRecord> out = new ArrayList<>();
    for (JsonNode image : SolrDocuments.images(product)) {
      int index = image.path(IndexSchema.IMAGE_INDEX).asInt();
      out.add(
          new ImageRecord(
              index, image.path(IndexSchema.IMAGE_SOURCE).asText(), imageHandle(id, index)));
    }
    return out;
  }

  @Override
  public Optional<Thumbnail> thumbnail(ImageRecord image) {
    ImageRef ref = imageOf(image.handle());
    int index = ref.index() >= 0 ? ref.index() : image.index();
    try {
      JsonNode docs =
          client
              .select(
                  collection,
                  List.of(
                      Map.entry(
                          "q",
                          SolrQueries.term(
                              IndexSchema.ID, SolrDocuments.imageId(ref.productId(), index))),
                      Map.entry("fl", IndexSchema.THUMBNAIL),
                      Map.entry("rows", "1")))
              .path("response")
              .path("docs");
      byte[] bytes =
          docs.isEmpty() ? null : SolrDocuments.binary(docs.get(0), IndexSchema.THUMBNAIL);
      return bytes == null
          ? Optional.empty()
          : Optional.of(new Thumbnail(bytes, IndexSchema.THUMBNAIL_MIME_TYPE));
    } catch (SolrException e) {
      throw store.searchFailed(e);
    }
  }

  @Override
  public Optional<List<float[]>> imageVectors(String id) {
    JsonNode doc = fetch(List.of(id), false, true).get(id);
    if (doc == null) {
      return Optional.empty();
    }
    List<float[]> vectors = new ArrayList<>();
    for (JsonNode image : SolrDocuments.images(doc)) {
      vectors.add(SolrDocuments.vector(image));
    }
    return Optional.of(vectors);
  }

  /** Nothing to release: a Solr view holds no searcher. */
  @Override
  public void close() {}
}
