package dev.clipsearch.indexer.index.search;

import dev.clipsearch.indexer.index.IndexMetadata;
import dev.clipsearch.indexer.index.IndexQueries;
import dev.clipsearch.indexer.index.IndexSchema;
import dev.clipsearch.indexer.store.FacetCounts;
import dev.clipsearch.indexer.store.ImageRecord;
import dev.clipsearch.indexer.store.MatchedProduct;
import dev.clipsearch.indexer.store.ProductFilter;
import dev.clipsearch.indexer.store.ProductMatch;
import dev.clipsearch.indexer.store.ProductRecord;
import dev.clipsearch.indexer.store.StoreView;
import dev.clipsearch.indexer.store.Thumbnail;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.lucene.index.DocValuesType;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
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
 * A {@link StoreView} on one acquired Lucene searcher. Handles are top-level doc ids of its reader:
 * {@link ProductMatch#productHandle()} the product document, {@link ProductMatch#imageHandle()} and
 * {@link ImageRecord#handle()} image documents.
 */
final class LuceneStoreView implements StoreView {

  private static final Sort BY_SCORE_THEN_ID =
      new Sort(SortField.FIELD_SCORE, new SortedSetSortField(IndexSchema.ID, false));

  /** Best first, equal scores by product id. */
  private static final Comparator<ProductMatch> BY_SCORE_THEN_ID_MATCHES =
      (a, b) -> {
        int c = Double.compare(b.score(), a.score());
        return c != 0 ? c : a.productId().compareTo(b.productId());
      };

  private final LuceneSearchStore store;
  private final IndexSearcher searcher;
  private final IndexMetadata metadata;
  private final ProductReader products;
  private final LexicalQueries lexical;
  private StoredFields stored;
  private boolean closed;

  LuceneStoreView(
      LuceneSearchStore store,
      IndexSearcher searcher,
      IndexMetadata metadata,
      ProductReader products,
      LexicalQueries lexical) {
    this.store = store;
    this.searcher = searcher;
    this.metadata = metadata;
    this.products = products;
    this.lexical = lexical;
  }

  IndexSearcher searcher() {
    return searcher;
  }

  private StoredFields stored() throws IOException {
    if (stored == null) {
      stored = searcher.storedFields();
    }
    return stored;
  }

  @Override
  public List<ProductMatch> knn(float[] vector, int k, ProductFilter filter) {
    try {
      TopDocs top = searcher.search(RescoringKnn.query(metadata, vector, k, query(filter)), k);
      IndexReader reader = searcher.getIndexReader();
      int[] productDocs = ProductReader.productsOf(reader, top.scoreDocs);
      String[] ids = ProductReader.keywords(reader, productDocs, IndexSchema.ID);
      List<ProductMatch> out = new ArrayList<>(productDocs.length);
      boolean ties = false;
      for (int i = 0; i < productDocs.length; i++) {
        // Lucene's DOT_PRODUCT score is (1 + cosine) / 2.
        double cosine = 2.0 * top.scoreDocs[i].score - 1.0;
        out.add(new ProductMatch(ids[i], cosine, productDocs[i], top.scoreDocs[i].doc));
        ties |= i > 0 && top.scoreDocs[i].score == top.scoreDocs[i - 1].score;
      }
      if (ties) { // Lucene ranks best first, equal scores by doc id: those go by product id
        out.sort(BY_SCORE_THEN_ID_MATCHES);
      }
      return out;
    } catch (IOException e) {
      throw store.searchFailed(e);
    }
  }

  @Override
  public List<ProductMatch> lexical(String text, int maxTerms, int k, ProductFilter filter) {
    try {
      BooleanQuery.Builder query =
          new BooleanQuery.Builder()
              .add(lexical.query(text, maxTerms), BooleanClause.Occur.MUST)
              .add(IndexSchema.productsQuery(), BooleanClause.Occur.FILTER);
      Query restriction = query(filter);
      if (restriction != null) {
        query.add(restriction, BooleanClause.Occur.FILTER);
      }
      TopDocs top = searcher.search(query.build(), k, BY_SCORE_THEN_ID, true);
      int[] docs = new int[top.scoreDocs.length];
      for (int i = 0; i < docs.length; i++) {
        docs[i] = top.scoreDocs[i].doc;
      }
      String[] ids = ProductReader.keywords(searcher.getIndexReader(), docs, IndexSchema.ID);
      List<ProductMatch> out = new ArrayList<>(docs.length);
      for (int i = 0; i < docs.length; i++) {
        double score = ((FieldDoc) top.scoreDocs[i]).score;
        out.add(new ProductMatch(ids[i], score, docs[i], ProductMatch.NO_IMAGE));
      }
      return out;
    } catch (IOException e) {
      throw store.searchFailed(e);
    }
  }

  @Override
  public ProductMatch bestImage(ProductMatch match, float[] vector) {
    try {
      ProductReader.BestImage best =
          products.best(searcher.getIndexReader(), doc(match.productHandle()), vector);
      return match.withImage(best.cosine(), best.imageDoc());
    } catch (IOException e) {
      throw store.searchFailed(e);
    }
  }

  @Override
  public List<MatchedProduct> load(List<ProductMatch> matches) {
    try {
      IndexReader reader = searcher.getIndexReader();
      int[] productDocs = new int[matches.size()];
      int withImage = 0;
      for (int i = 0; i < productDocs.length; i++) {
        productDocs[i] = doc(matches.get(i).productHandle());
        withImage += matches.get(i).hasImage() ? 1 : 0;
      }
      int[] imageDocs = new int[withImage];
      for (int i = 0, j = 0; i < productDocs.length; i++) {
        if (matches.get(i).hasImage()) {
          imageDocs[j++] = doc(matches.get(i).imageHandle());
        }
      }
      String[] summaries = ProductReader.summaries(reader, stored(), productDocs);
      int[] imageIndexes = ProductReader.imageIndexes(reader, stored(), imageDocs);
      List<MatchedProduct> out = new ArrayList<>(matches.size());
      for (int i = 0, j = 0; i < productDocs.length; i++) {
        ProductMatch m = matches.get(i);
        out.add(new MatchedProduct(m, summaries[i], m.hasImage() ? imageIndexes[j++] : null));
      }
      return out;
    } catch (IOException e) {
      throw store.searchFailed(e);
    }
  }

  @Override
  public FacetCounts facets(List<ProductMatch> matches, List<String> facets, int limit) {
    int[] docs = new int[matches.size()];
    for (int i = 0; i < docs.length; i++) {
      docs[i] = doc(matches.get(i).productHandle());
    }
    try {
      return FacetCounter.count(searcher.getIndexReader(), docs, facets, limit);
    } catch (IOException e) {
      throw store.searchFailed(e);
    }
  }

  @Override
  public List<String> attributeFacets() {
    TreeSet<String> names = new TreeSet<>();
    for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
      for (FieldInfo field : leaf.reader().getFieldInfos()) {
        if (field.name.startsWith(IndexSchema.ATTRIBUTE_PREFIX)
            && field.getDocValuesType() == DocValuesType.SORTED_SET) {
          names.add(field.name);
        }
      }
    }
    return List.copyOf(names);
  }

  @Override
  public boolean contains(String id) {
    return find(id) >= 0;
  }

  @Override
  public Optional<ProductRecord> product(String id) {
    try {
      int doc = find(id);
      if (doc < 0) {
        return Optional.empty();
      }
      String json = ProductReader.json(stored(), doc);
      return Optional.of(
          new ProductRecord(id, json, images(doc), products.attributes(stored(), doc)));
    } catch (IOException e) {
      throw store.searchFailed(e);
    }
  }

  @Override
  public Optional<List<ImageRecord>> images(String id) {
    try {
      int doc = find(id);
      return doc < 0 ? Optional.empty() : Optional.of(images(doc));
    } catch (IOException e) {
      throw store.searchFailed(e);
    }
  }

  private List<ImageRecord> images(int productDoc) throws IOException {
    List<ProductReader.ImageDoc> docs = products.images(searcher, productDoc);
    List<ImageRecord> images = new ArrayList<>(docs.size());
    for (ProductReader.ImageDoc image : docs) {
      images.add(new ImageRecord(image.index(), image.source(), image.doc()));
    }
    return images;
  }

  @Override
  public Optional<Thumbnail> thumbnail(ImageRecord image) {
    try {
      byte[] bytes = products.thumbnail(searcher, doc(image.handle()));
      return bytes == null
          ? Optional.empty()
          : Optional.of(new Thumbnail(bytes, IndexSchema.THUMBNAIL_MIME_TYPE));
    } catch (IOException e) {
      throw store.searchFailed(e);
    }
  }

  @Override
  public Optional<List<float[]>> imageVectors(String id) {
    try {
      int doc = find(id);
      return doc < 0
          ? Optional.empty()
          : Optional.of(products.vectors(searcher.getIndexReader(), doc));
    } catch (IOException e) {
      throw store.searchFailed(e);
    }
  }

  private int find(String id) {
    try {
      return products.find(searcher, id);
    } catch (IOException e) {
      throw store.searchFailed(e);
    }
  }

  /** A handle back to a doc id of this view's reader. */
  private int doc(long handle) {
    if (handle < 0 || handle >= searcher.getIndexReader().maxDoc()) {
      throw new IllegalArgumentException("handle " + handle + " is not a document of this view");
    }
    return (int) handle;
  }

  /** The product-level filter query, or null for none. */
  static Query query(ProductFilter filter) {
    List<Query> parts = new ArrayList<>();
    if (filter.categoryPrefix() != null) {
      parts.add(IndexQueries.categoryPrefix(filter.categoryPrefix()));
    }
    if (!filter.brands().isEmpty()) {
      parts.add(IndexQueries.brands(filter.brands()));
    }
    if (filter.priceMin() != null || filter.priceMax() != null) {
      parts.add(IndexQueries.priceRange(filter.priceMin(), filter.priceMax()));
    }
    if (!filter.tags().isEmpty()) {
      parts.add(IndexQueries.tags(filter.tags()));
    }
    if (filter.excludedProductId() != null) {
      parts.add(IndexQueries.excludingProduct(filter.excludedProductId()));
    }
    filter.attributes().forEach((name, values) -> parts.add(IndexQueries.attribute(name, values)));
    return IndexQueries.allOf(parts.toArray(Query[]::new));
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      store.release(searcher);
    }
  }
}
