package dev.clipsearch.indexer.solr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The config set clipsearch uploads for a collection (Solr's configset API takes a zip): a fixed
 * {@code schema.xml}, a small {@code solrconfig.xml}, and a {@code configoverlay.json} whose user
 * properties record the model ({@link SolrModelIdentity}).
 *
 * <p><b>Layout: nested documents, one block per product.</b> Each product is a parent document
 * ({@code kind:product}: id, BM25 text fields, facet/filter fields with doc values, the product
 * JSON stored) with one child document per usable image ({@code kind:image}: the image's vector and
 * facts), exactly the block-join layout of the embedded index. Why nested rather than one document
 * per image with a parent id and {@code {!collapse}}:
 *
 * <ul>
 *   <li>products, not images, are returned, scored by their best image: {@code {!parent
 *       which=kind:product score=max}} over a {@code {!knn}} child query does this inside each
 *       shard (a block always lives on one shard), whereas collapse needs every image of a product
 *       routed to one shard by hand and is a post filter that the knn parser's pre-filtering
 *       ignores;
 *   <li>text (BM25), filters and facets run on the product documents alone, so counts are product
 *       counts and BM25 statistics are not skewed by how many images a product has; with one
 *       document per image every product field would be copied onto every image;
 *   <li>a product is replaced or deleted as a whole block, like in the embedded index.
 * </ul>
 *
 * <p>The price: Solr 9.10's {@code knn} parser has no parent-aware (diversifying) mode ({@code
 * childrenOf} / {@code parents.preFilter} arrive in Solr 9.11 and 10), so the knn runs over images
 * and its {@code topK} must over-fetch when products have several images, and product filters reach
 * the vector search as a child pre-filter {@code {!child of=kind:product}}.
 */
public final class SolrConfigSet {

  private SolrConfigSet() {}

  // Field names are the embedded index's (IndexSchema): both stores hold the same fields.

  /** The product's image documents, as a nested (child) field of the product document. */
  public static final String IMAGES = "images";

  /** The zip to upload. */
  public static byte[] zip(SolrCollectionSpec spec) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      put(zip, "schema.xml", schemaXml(spec));
      put(zip, "solrconfig.xml", solrConfigXml());
      put(zip, "configoverlay.json", configOverlayJson(spec));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build the config set zip in memory", e);
    }
    return bytes.toByteArray();
  }

  private static void put(ZipOutputStream zip, String name, String text) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(text.getBytes(StandardCharsets.UTF_8));
    zip.closeEntry();
  }

  /** The config overlay: the model's identity as user properties ({@code userProps}). */
  static String configOverlayJson(SolrCollectionSpec spec) {
    try {
      return new ObjectMapper()
          .writeValueAsString(Map.of("userProps", spec.model().toProperties()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the config overlay", e);
    }
  }

  /** The schema: the vector field has the model's dimension and the spec's HNSW parameters. */
  static String schemaXml(SolrCollectionSpec spec) {
    return """
        <?xml version="1.0" encoding="UTF-8" ?>
        <!-- Written by clipsearch for collection %s; do not edit (clipsearch re-creates it). -->
        <schema name="clipsearch" version="1.7">
          <uniqueKey>id</uniqueKey>

          <fieldType name="string" class="solr.StrField" sortMissingLast="true" docValues="true"/>
          <fieldType name="strings" class="solr.StrField" sortMissingLast="true" docValues="true"
                     multiValued="true"/>
          <fieldType name="stored_string" class="solr.StrField" indexed="false" docValues="false"/>
          <fieldType name="plong" class="solr.LongPointField" docValues="true"/>
          <fieldType name="pint" class="solr.IntPointField" docValues="true"/>
          <fieldType name="pdouble" class="solr.DoublePointField" docValues="true"/>
          <fieldType name="binary" class="solr.BinaryField"/>
          <fieldType name="_nest_path_" class="solr.NestPathField"/>
          <!-- BM25 text: the embedded index's analysis (standard tokenizer, lower case,
               ASCII folding). -->
          <fieldType name="text" class="solr.TextField" positionIncrementGap="100">
            <analyzer>
              <tokenizer class="solr.StandardTokenizerFactory"/>
              <filter class="solr.LowerCaseFilterFactory"/>
              <filter class="solr.ASCIIFoldingFilterFactory"/>
            </analyzer>
          </fieldType>
          <fieldType name="knn_vector" class="solr.DenseVectorField" vectorDimension="%d"
                     similarityFunction="dot_product" knnAlgorithm="hnsw"
                     hnswMaxConnections="%d" hnswBeamWidth="%d"/>

          <field name="id" type="string" indexed="true" stored="true" required="true"/>
          <field name="_version_" type="plong" indexed="false" stored="false"/>
          <field name="_root_" type="string" indexed="true" stored="false" docValues="false"/>
          <field name="_nest_path_" type="_nest_path_"/>
          <field name="_nest_parent_" type="string" indexed="true" stored="true"/>
          <field name="kind" type="string" indexed="true" stored="true" required="true"/>

          <!-- product documents -->
          <field name="title" type="text" indexed="true" stored="false"/>
          <field name="description" type="text" indexed="true" stored="false"/>
          <field name="brand_text" type="text" indexed="true" stored="false"/>
          <field name="category_text" type="text" indexed="true" stored="false"/>
          <field name="brand" type="string" indexed="true" stored="false"/>
          <field name="category" type="string" indexed="true" stored="false"/>
          <field name="category_path" type="strings" indexed="true" stored="false"/>
          <field name="tags" type="strings" indexed="true" stored="false"/>
          <field name="price" type="pdouble" indexed="true" stored="false"/>
          <field name="currency" type="string" indexed="true" stored="false"/>
          <!-- zero-shot attributes (clipsearch tag): attr.<name> filters and facets, their
               names (to list them) and the stored JSON (to read them back) -->
          <dynamicField name="attr.*" type="string" indexed="true" stored="false"/>
          <field name="attribute_names" type="strings" indexed="true" stored="false"/>
          <field name="attributes_json" type="stored_string" stored="true"/>
          <field name="url" type="stored_string" stored="true"/>
          <field name="product_json" type="stored_string" stored="true"/>
          <field name="content_hash" type="string" indexed="true" stored="true"/>
          <field name="sync_key" type="stored_string" stored="true"/>
          <field name="image_count" type="pint" indexed="false" stored="true"/>
          <field name="failed_images" type="pint" indexed="true" stored="true"/>
          <field name="image_errors" type="stored_string" stored="true"/>
          <field name="indexed_at" type="plong" indexed="false" stored="true"/>

          <!-- image documents (children of a product) -->
          <field name="image_index" type="pint" indexed="true" stored="true"/>
          <field name="image_source" type="stored_string" stored="true"/>
          <field name="image_sha256" type="string" indexed="true" stored="true"/>
          <field name="image_fingerprint" type="stored_string" stored="true"/>
          <!-- the exact float32 vector (little-endian bytes): the HNSW field is not stored -->
          <field name="image_vector" type="binary" indexed="false" stored="true"/>
          <field name="image_width" type="pint" indexed="false" stored="true"/>
          <field name="image_height" type="pint" indexed="false" stored="true"/>
          <field name="thumbnail" type="binary" indexed="false" stored="true"/>
          <field name="%s" type="knn_vector" indexed="true" stored="false"/>

          <!-- the run document (kind:run): the last commit's run state, for stats -->
          <field name="run_state" type="stored_string" stored="true"/>
          <field name="last_commit" type="stored_string" stored="true"/>
        </schema>
        """
        .formatted(
            spec.name(),
            spec.model().dimension(),
            spec.hnswMaxConnections(),
            spec.hnswBeamWidth(),
            spec.vectorField());
  }

  /** The automatic hard commit's interval, in ms (see {@link #solrConfigXml()}). */
  static final int AUTO_COMMIT_MS = 60_000;

  /** The automatic soft commit's interval, in ms (see {@link #solrConfigXml()}). */
  static final int AUTO_SOFT_COMMIT_MS = 60_000;

  /**
   * The solrconfig: SchemaCodecFactory (without it Solr ignores the per-field HNSW parameters),
   * exact distributed term statistics for BM25 (by default each shard scores with its own), an
   * update log (SolrCloud needs it for replicas and recovery), and automatic commits only every 60
   * s, hard ({@value #AUTO_COMMIT_MS} ms: flushes to the index files, bounds the update log) and
   * soft ({@value #AUTO_SOFT_COMMIT_MS} ms: a bound on when any write becomes visible, e.g. those
   * of a run that was killed). clipsearch's writers commit themselves when it matters (the indexer
   * every {@code --commit-every} products or {@code --commit-interval}, admin writes at once), so
   * the automatic commits are only a backstop. Each commit flushes a new segment per shard, and
   * each segment is an HNSW graph every knn query searches: with the former 2 s soft commit a bulk
   * feed left 41 and 51 segments in two shards (docs/scale-out.md). The {@code
   * solr.autoCommit.maxTime} and {@code solr.autoSoftCommit.maxTime} system properties of a node
   * override both.
   */
  static String solrConfigXml() {
    return """
        <?xml version="1.0" encoding="UTF-8" ?>
        <!-- Written by clipsearch; do not edit (clipsearch re-creates it). -->
        <config>
          <luceneMatchVersion>9.12</luceneMatchVersion>
          <dataDir>${solr.data.dir:}</dataDir>
          <directoryFactory name="DirectoryFactory"
                            class="${solr.directoryFactory:solr.NRTCachingDirectoryFactory}"/>
          <codecFactory class="solr.SchemaCodecFactory"/>
          <!-- BM25 with collection-wide term statistics, not each shard's own: the same
               product ranks the same whichever shard it lands on. -->
          <statsCache class="org.apache.solr.search.stats.ExactStatsCache"/>
          <schemaFactory class="ClassicIndexSchemaFactory"/>
          <indexConfig>
            <lockType>${solr.lock.type:native}</lockType>
          </indexConfig>
          <updateHandler class="solr.DirectUpdateHandler2">
            <updateLog>
              <str name="dir">${solr.ulog.dir:}</str>
            </updateLog>
            <autoCommit>
              <maxTime>${solr.autoCommit.maxTime:%d}</maxTime>
              <openSearcher>false</openSearcher>
            </autoCommit>
            <autoSoftCommit>
              <maxTime>${solr.autoSoftCommit.maxTime:%d}</maxTime>
            </autoSoftCommit>
          </updateHandler>
          <query>
            <maxBooleanClauses>${solr.max.booleanClauses:1024}</maxBooleanClauses>
            <filterCache size="512" initialSize="512" autowarmCount="0"/>
            <queryResultCache size="512" initialSize="512" autowarmCount="0"/>
            <documentCache size="512" initialSize="512" autowarmCount="0"/>
            <enableLazyFieldLoading>true</enableLazyFieldLoading>
          </query>
          <requestDispatcher>
            <httpCaching never304="true"/>
          </requestDispatcher>
          <requestHandler name="/select" class="solr.SearchHandler">
            <lst name="defaults">
              <str name="echoParams">none</str>
              <str name="wt">json</str>
            </lst>
          </requestHandler>
        </config>
        """
        .formatted(AUTO_COMMIT_MS, AUTO_SOFT_COMMIT_MS);
  }
}
