package dev.clipsearch.indexer.index;

import java.util.Locale;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.facet.FacetsConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.join.BitSetProducer;
import org.apache.lucene.search.join.QueryBitSetProducer;

/**
 * The clipsearch index layout: field names and how each is indexed. The index is a Lucene <b>block
 * join</b>: each product is one block of documents, its image documents first (one per usable
 * image, each with the image's vector) and the product document last. See {@code
 * docs/index-format.md} for the full description and how to query it.
 *
 * <p>Product document fields:
 *
 * <table>
 *   <caption>product fields</caption>
 *   <tr><th>field</th><th>type</th><th>use</th></tr>
 *   <tr><td>{@value #KIND}</td><td>StringField {@value #KIND_PRODUCT}</td><td>parent filter</td></tr>
 *   <tr><td>{@value #ID}</td><td>KeywordField, stored</td><td>lookups, updates, tie-break</td></tr>
 *   <tr><td>{@value #TITLE}, {@value #DESCRIPTION}, {@value #BRAND_TEXT},
 *       {@value #CATEGORY_TEXT}</td><td>TextField ({@link #analyzer()})</td><td>BM25</td></tr>
 *   <tr><td>{@value #BRAND}, {@value #CURRENCY}</td><td>KeywordField</td><td>filters</td></tr>
 *   <tr><td>{@value #CATEGORY}</td><td>KeywordField, the full normalized path</td>
 *       <td>exact filter</td></tr>
 *   <tr><td>{@value #CATEGORY_PATH}</td><td>StringField, one per ancestor path</td>
 *       <td>category prefix filter</td></tr>
 *   <tr><td>{@value #TAGS}</td><td>KeywordField, multi-valued</td><td>filters</td></tr>
 *   <tr><td>{@value #PRICE}</td><td>DoubleField (point + doc values)</td>
 *       <td>range filter, sort</td></tr>
 *   <tr><td>facets {@value #FACET_BRAND}, {@value #FACET_CATEGORY} (hierarchical),
 *       {@value #FACET_TAGS}</td><td>sorted-set doc values ({@link #facetsConfig()})</td>
 *       <td>facet counts</td></tr>
 *   <tr><td>{@value #ATTRIBUTE_PREFIX}{@code <name>}</td><td>KeywordField + sorted-set facet
 *       field, one per zero-shot attribute ({@code clipsearch tag})</td>
 *       <td>filters, facet counts</td></tr>
 *   <tr><td>{@value #ATTRIBUTES_JSON}</td><td>stored JSON object {@code {"color": "red"}}</td>
 *       <td>reading the attributes back</td></tr>
 *   <tr><td>{@value #PRODUCT_JSON}</td><td>stored</td><td>display</td></tr>
 *   <tr><td>{@value #HIT_SUMMARY}</td><td>binary doc values: the display fields' JSON</td>
 *       <td>result pages</td></tr>
 *   <tr><td>{@value #CONTENT_HASH}</td><td>stored</td><td>fields + image bytes hash</td></tr>
 * </table>
 *
 * <p>Image document fields: {@value #KIND} = {@value #KIND_IMAGE}, {@value #ID} (the product's, not
 * stored), the vector field ({@link #vectorFieldName}), {@value #IMAGE_INDEX} (stored, and as
 * numeric doc values {@value #IMAGE_POSITION}), {@value #IMAGE_SOURCE}, {@value #IMAGE_SHA256},
 * {@value #IMAGE_WIDTH}, {@value #IMAGE_HEIGHT}, {@value #THUMBNAIL} (stored JPEG bytes).
 */
public final class IndexSchema {

  private IndexSchema() {}

  /** {@value #KIND_PRODUCT} or {@value #KIND_IMAGE}, on every document. */
  public static final String KIND = "kind";

  public static final String KIND_PRODUCT = "product";
  public static final String KIND_IMAGE = "image";

  /** The product id, on every document of the block (so one term deletes the whole block). */
  public static final String ID = "id";

  public static final String TITLE = "title";
  public static final String DESCRIPTION = "description";
  public static final String BRAND = "brand";
  public static final String BRAND_TEXT = "brand_text";
  public static final String CATEGORY = "category";
  public static final String CATEGORY_PATH = "category_path";
  public static final String CATEGORY_TEXT = "category_text";
  public static final String PRICE = "price";
  public static final String CURRENCY = "currency";
  public static final String TAGS = "tags";
  public static final String URL = "url";

  /** The canonical product JSON (see {@code ProductJson}), stored for display. */
  public static final String PRODUCT_JSON = "product_json";

  /**
   * The prefix of the keyword and facet field of a zero-shot attribute: {@code attr.color} (see
   * {@code IndexedProduct#facetAttributes}).
   */
  public static final String ATTRIBUTE_PREFIX = "attr.";

  /**
   * Binary doc values: the product's display fields as JSON ({@code ProductJson.summaryJson}), read
   * for each hit of a result page without decompressing a block of stored fields. Indexes written
   * before it have only {@value #PRODUCT_JSON}, which pages then read.
   */
  public static final String HIT_SUMMARY = "hit_summary";

  /** Stored JSON object of the product's zero-shot attributes; absent when it has none. */
  public static final String ATTRIBUTES_JSON = "attributes_json";

  /** SHA-256 (hex) over the canonical product JSON and the bytes of each indexed image. */
  public static final String CONTENT_HASH = "content_hash";

  /**
   * Binary doc values: SHA-256 over the canonical JSON and each image's cheap fingerprint; equal
   * means "unchanged, skip" on the next incremental run.
   */
  public static final String SYNC_KEY = "sync_key";

  /** Number of indexed images (stored). */
  public static final String IMAGE_COUNT = "image_count";

  /** Numeric doc values and stored: images of the product that failed (0 when none). */
  public static final String FAILED_IMAGES = "failed_images";

  /** Stored JSON array of the failed images: {@code [{"index", "source", "reason", "message"}]}. */
  public static final String IMAGE_ERRORS = "image_errors";

  /** Stored epoch milliseconds of when this version of the product was written. */
  public static final String INDEXED_AT = "indexed_at";

  /** Image document: position of the image in the product's {@code images} list (stored int). */
  public static final String IMAGE_INDEX = "image_index";

  /**
   * Image document: {@value #IMAGE_INDEX} as numeric doc values, read for the matched image of each
   * hit (absent in indexes written before it, which pages then read from the stored field).
   */
  public static final String IMAGE_POSITION = "image_position";

  /** Image document: the image reference as written in the catalog (stored). */
  public static final String IMAGE_SOURCE = "image_source";

  /** Image document: SHA-256 (hex) of the image file's bytes (stored). */
  public static final String IMAGE_SHA256 = "image_sha256";

  /** Image document: the cheap fingerprint the bytes had (stored; see the fetch stage). */
  public static final String IMAGE_FINGERPRINT = "image_fingerprint";

  public static final String IMAGE_WIDTH = "image_width";
  public static final String IMAGE_HEIGHT = "image_height";

  /** Image document: the JPEG thumbnail bytes (stored), absent when thumbnails are off. */
  public static final String THUMBNAIL = "thumbnail";

  /** The MIME type of {@link #THUMBNAIL}. */
  public static final String THUMBNAIL_MIME_TYPE = "image/jpeg";

  /** Facet dimensions (sorted-set doc values facets, no taxonomy index). */
  public static final String FACET_BRAND = "brand";

  public static final String FACET_CATEGORY = "category";
  public static final String FACET_TAGS = "tags";

  /** The name of the text analysis chain, recorded in the metadata. */
  public static final String ANALYZER_NAME = "standard-lowercase-asciifolding";

  private static final BitSetProducer PRODUCTS =
      new QueryBitSetProducer(new TermQuery(new Term(KIND, KIND_PRODUCT)));

  /**
   * The vector field of a model: {@code vector_} plus the model id lowercased with every run of
   * characters other than letters and digits replaced by {@code _}. The name actually used is in
   * {@link IndexMetadata#vectorField()}; readers should take it from there.
   */
  public static String vectorFieldName(String modelId) {
    String cleaned =
        modelId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
    return "vector_" + (cleaned.isEmpty() ? "model" : cleaned);
  }

  /** The keyword and facet field of attribute {@code name}: {@code attr.<name>}. */
  public static String attributeField(String name) {
    return ATTRIBUTE_PREFIX + name;
  }

  /** Matches every product document (and no image document). */
  public static Query productsQuery() {
    return new TermQuery(new Term(KIND, KIND_PRODUCT));
  }

  /** Matches every image document. */
  public static Query imagesQuery() {
    return new TermQuery(new Term(KIND, KIND_IMAGE));
  }

  /**
   * The parent bit set for block-join queries ({@code DiversifyingChildrenFloatKnnVectorQuery},
   * {@code ToChildBlockJoinQuery}, {@code ToParentBlockJoinQuery}). Shared and cached per segment.
   */
  public static BitSetProducer productsBitSet() {
    return PRODUCTS;
  }

  /** The analyzer of the text fields, for indexing and for queries. */
  public static Analyzer analyzer() {
    return new Analyzer() {
      @Override
      protected TokenStreamComponents createComponents(String fieldName) {
        StandardTokenizer tokenizer = new StandardTokenizer();
        TokenStream stream = new ASCIIFoldingFilter(new LowerCaseFilter(tokenizer));
        return new TokenStreamComponents(tokenizer, stream);
      }

      @Override
      protected TokenStream normalize(String fieldName, TokenStream in) {
        return new ASCIIFoldingFilter(new LowerCaseFilter(in));
      }
    };
  }

  /**
   * The facet configuration: {@value #FACET_CATEGORY} hierarchical, {@value #FACET_TAGS}
   * multi-valued, all in Lucene's default {@code $facets} sorted-set field. Use it with {@code
   * DefaultSortedSetDocValuesReaderState} and {@code SortedSetDocValuesFacetCounts}.
   */
  public static FacetsConfig facetsConfig() {
    FacetsConfig config = new FacetsConfig();
    config.setHierarchical(FACET_CATEGORY, true);
    config.setMultiValued(FACET_TAGS, true);
    return config;
  }
}
