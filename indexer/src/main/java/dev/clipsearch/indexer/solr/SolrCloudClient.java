package dev.clipsearch.indexer.solr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.indexer.index.IndexSchema;
import dev.clipsearch.indexer.index.search.LexicalQueries;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What clipsearch asks of SolrCloud, over plain HTTP and JSON ({@code java.net.http} + Jackson, no
 * SolrJ: SolrJ 9.10's HTTP client is Jetty 10, whose artifacts have the same coordinates as the
 * Jetty 12 under Javalin and cannot share a class path with it): cluster status, collections
 * created from a config set clipsearch uploads with the model recorded in them, updates, and the
 * queries that prove the schema (filtered knn, JSON facets). The node list fails over (see {@link
 * SolrHttp}).
 *
 * <p>Thread-safe; close it to release the HTTP client.
 */
public final class SolrCloudClient implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SolrHttp http;

  /** A client for the nodes of {@code --solr}, with 5 s connect and 60 s request timeouts. */
  public SolrCloudClient(SolrNodes nodes) {
    this(nodes, Duration.ofSeconds(5), Duration.ofSeconds(60));
  }

  public SolrCloudClient(SolrNodes nodes, Duration connectTimeout, Duration requestTimeout) {
    this.http = new SolrHttp(nodes, connectTimeout, requestTimeout);
  }

  public SolrNodes nodes() {
    return http.nodes();
  }

  /** The Collections API's CLUSTERSTATUS: live nodes, collections, shards, replicas. */
  public JsonNode clusterStatus() throws SolrException {
    return http.get("/admin/collections", params("action", "CLUSTERSTATUS", "wt", "json"))
        .path("cluster");
  }

  /** The live nodes' names ({@code 127.0.0.1:8983_solr}). */
  public List<String> liveNodes() throws SolrException {
    List<String> nodes = new ArrayList<>();
    clusterStatus().path("live_nodes").forEach(n -> nodes.add(n.asText()));
    return nodes;
  }

  /**
   * How a collection is laid out over the cluster: its shards and how many replicas each has (every
   * replica the cluster state lists, live or not).
   *
   * @param shards the number of shards
   * @param minReplicas the fewest replicas of a shard
   * @param maxReplicas the most replicas of a shard (equal to {@code minReplicas} unless replicas
   *     were added or removed by hand)
   */
  public record Layout(int shards, int minReplicas, int maxReplicas) {

    /** Whether every one of {@code shards} shards has {@code replicas} replicas. */
    public boolean matches(int shards, int replicas) {
      return this.shards == shards && minReplicas == replicas && maxReplicas == replicas;
    }

    /** {@code 2 shard(s) x 1 replica(s)}, or {@code 2 shard(s) x 1 to 2 replica(s)}. */
    public String describe() {
      return shards
          + " shard(s) x "
          + (minReplicas == maxReplicas ? minReplicas : minReplicas + " to " + maxReplicas)
          + " replica(s)";
    }
  }

  /**
   * The collection's layout, from the cluster state.
   *
   * @throws SolrException with status 404 when there is no such collection
   */
  public Layout layout(String collection) throws SolrException {
    JsonNode shards =
        http.get(
                "/admin/collections",
                params("action", "CLUSTERSTATUS", "collection", collection, "wt", "json"))
            .path("cluster")
            .path("collections")
            .path(collection)
            .path("shards");
    if (!shards.isObject() || shards.isEmpty()) {
      throw new SolrException(
          "collection '" + collection + "' has no shards in the cluster state", 404);
    }
    int min = Integer.MAX_VALUE;
    int max = 0;
    for (JsonNode shard : shards) {
      int replicas = shard.path("replicas").size();
      min = Math.min(min, replicas);
      max = Math.max(max, replicas);
    }
    return new Layout(shards.size(), min, max);
  }

  /**
   * One shard's index as its leader holds it.
   *
   * @param shard the shard name ({@code shard1})
   * @param core the leader's core
   * @param sizeInBytes the size of the leader's index files (its last commit), or -1 when the
   *     leader did not say
   * @param segments the leader's index segments (each its own HNSW graph), or -1 when it did not
   *     say
   */
  public record ShardIndex(String shard, String core, long sizeInBytes, int segments) {}

  /**
   * The index of each shard's leader, in Solr's order, from the Collections API's COLSTATUS (which
   * the node asked collects from every leader, so any node will do). The leaders hold one copy of
   * the collection: their sizes add up to its size without replicas.
   *
   * @throws SolrException with status 404 when there is no such collection
   */
  public List<ShardIndex> shardIndexes(String collection) throws SolrException {
    JsonNode shards =
        http.get(
                "/admin/collections",
                params(
                    "action",
                    "COLSTATUS",
                    "collection",
                    collection,
                    "coreInfo",
                    "true",
                    "wt",
                    "json"))
            .path(collection)
            .path("shards");
    if (!shards.isObject() || shards.isEmpty()) {
      throw new SolrException(
          "collection '" + collection + "' has no shards in its COLSTATUS answer", 404);
    }
    List<ShardIndex> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = shards.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> shard = it.next();
      JsonNode leader = shard.getValue().path("leader");
      JsonNode info = leader.path("segInfos").path("info");
      // Solr reports the size as sizeInGB = bytes / 1024^3, a double that holds the exact count
      double gigabytes = info.path("core").path("sizeInGB").asDouble(-1);
      long bytes = gigabytes < 0 ? -1 : Math.round(gigabytes * 1024 * 1024 * 1024);
      out.add(
          new ShardIndex(
              shard.getKey(),
              leader.path("core").asText(null),
              bytes,
              info.path("numSegments").asInt(-1)));
    }
    return out;
  }

  /**
   * Sets the collection's automatic commit intervals (hard and soft, in ms; -1 turns one off)
   * through the Config API, which records them in the config overlay and reloads the collection:
   * how a collection created before clipsearch's 60 s defaults gets them, or a bulk load longer
   * ones.
   */
  public void setAutoCommits(String collection, int hardMillis, int softMillis)
      throws SolrException {
    http.post(
        "/" + collection + "/config",
        params("wt", "json"),
        "application/json",
        toJson(
            Map.of(
                "set-property",
                Map.of(
                    "updateHandler.autoCommit.maxTime", hardMillis,
                    "updateHandler.autoSoftCommit.maxTime", softMillis))));
  }

  /**
   * Merges each shard's index down to at most {@code maxSegments} segments (Solr's optimize, on
   * every replica), then opens a searcher. Each segment is an HNSW graph that every knn query
   * searches, so after a bulk load fewer segments answer faster; the merge rewrites every vector
   * into the merged graphs, which takes long on a large collection: {@code timeout} bounds the wait
   * for Solr's answer (the merge goes on in Solr if it is reached).
   */
  public void merge(String collection, int maxSegments, Duration timeout) throws SolrException {
    if (maxSegments < 1) {
      throw new IllegalArgumentException("maxSegments must be at least 1, got " + maxSegments);
    }
    http.action(
        "/" + collection + "/update",
        params(
            "optimize",
            "true",
            "maxSegments",
            Integer.toString(maxSegments),
            "waitSearcher",
            "true",
            "wt",
            "json"),
        timeout);
  }

  public boolean collectionExists(String collection) throws SolrException {
    JsonNode list = http.get("/admin/collections", params("action", "LIST", "wt", "json"));
    for (JsonNode name : list.path("collections")) {
      if (name.asText().equals(collection)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The {@code userProps} of the collection's config overlay ({@code configoverlay.json} in its
   * config set, read through Solr's Config API), empty when it has none.
   */
  public Map<String, String> userProperties(String collection) throws SolrException {
    JsonNode props =
        http.get("/" + collection + "/config/overlay", params("wt", "json"))
            .path("overlay")
            .path("userProps");
    Map<String, String> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  /**
   * Creates the collection when it does not exist (uploads its config set, which records the model,
   * and creates the collection with the spec's shards and replicas), then checks that it holds the
   * spec's model.
   *
   * @return true when it was created by this call
   * @throws SolrModelMismatchException when the collection exists for another model, or was not
   *     created by clipsearch
   */
  public boolean ensureCollection(SolrCollectionSpec spec) throws SolrException {
    boolean created = false;
    if (!collectionExists(spec.name())) {
      uploadConfigSet(spec);
      http.action(
          "/admin/collections",
          params(
              "action", "CREATE",
              "name", spec.name(),
              "numShards", Integer.toString(spec.shards()),
              "replicationFactor", Integer.toString(spec.replicas()),
              "collection.configName", spec.configSetName(),
              "waitForFinalState", "true",
              "wt", "json"));
      created = true;
    }
    checkModel(spec.name(), spec.model());
    return created;
  }

  /**
   * Refuses a model that the collection was not created for, with a message naming both.
   *
   * @throws SolrModelMismatchException when the recorded model differs or none is recorded
   */
  public void checkModel(String collection, SolrModelIdentity model) throws SolrException {
    SolrModelIdentity recorded = recordedModel(collection);
    if (!recorded.equals(model)) {
      throw new SolrModelMismatchException(
          "collection '"
              + collection
              + "' was built with model "
              + recorded.describe()
              + ", but the model given is "
              + model.describe()
              + ". Vectors of different models cannot be mixed: use the collection's model, or"
              + " another --collection.");
    }
  }

  /**
   * The model identity recorded in the collection.
   *
   * @throws SolrModelMismatchException when none is recorded: the collection was not made by
   *     clipsearch
   */
  public SolrModelIdentity recordedModel(String collection) throws SolrException {
    SolrModelIdentity recorded = SolrModelIdentity.fromProperties(userProperties(collection));
    if (recorded == null) {
      throw new SolrModelMismatchException(
          "collection '"
              + collection
              + "' has no clipsearch model record (user property "
              + SolrModelIdentity.KEY_MODEL
              + " in its config overlay): it was not created by clipsearch. Use another"
              + " --collection.");
    }
    return recorded;
  }

  /** Uploads (or replaces) the spec's config set through the configset API. */
  public void uploadConfigSet(SolrCollectionSpec spec) throws SolrException {
    http.post(
        "/admin/configs",
        params(
            "action", "UPLOAD",
            "name", spec.configSetName(),
            "overwrite", "true",
            "cleanup", "true",
            "wt", "json"),
        "application/octet-stream",
        SolrConfigSet.zip(spec));
  }

  /** Deletes a collection (its config set stays, for the next create to overwrite). */
  public void deleteCollection(String collection) throws SolrException {
    http.action("/admin/collections", params("action", "DELETE", "name", collection, "wt", "json"));
  }

  /**
   * Adds or replaces documents: each map is one product document, its images as a list of maps
   * under {@link SolrConfigSet#IMAGES} (nested children, replaced together with the product).
   */
  public void add(String collection, List<Map<String, Object>> documents) throws SolrException {
    http.post(
        "/" + collection + "/update", params("wt", "json"), "application/json", toJson(documents));
  }

  /**
   * Deletes products by id, each with its image documents: Solr deletes a root document's whole
   * block, and routes each id to its shard.
   */
  public void deleteProducts(String collection, List<String> ids) throws SolrException {
    if (ids.isEmpty()) {
      return;
    }
    http.post(
        "/" + collection + "/update",
        params("wt", "json"),
        "application/json",
        toJson(Map.of("delete", ids)));
  }

  /** A hard commit that opens a new searcher: what was added is durable and visible. */
  public void commit(String collection) throws SolrException {
    http.get(
        "/" + collection + "/update",
        params("commit", "true", "waitSearcher", "true", "wt", "json"));
  }

  /**
   * A soft commit: what was added becomes visible to searches (not yet flushed to the index files;
   * the update log already keeps it).
   */
  public void softCommit(String collection) throws SolrException {
    http.get(
        "/" + collection + "/update",
        params("commit", "true", "softCommit", "true", "waitSearcher", "true", "wt", "json"));
  }

  /**
   * A search request ({@code /select}) with its parameters sent as a form body, failing over to
   * another node like every read.
   */
  public JsonNode select(String collection, List<Map.Entry<String, String>> params)
      throws SolrException {
    List<Map.Entry<String, String>> p = new ArrayList<>(params);
    p.add(Map.entry("wt", "json"));
    return http.query("/" + collection + "/select", p);
  }

  /** How many product documents the collection holds. */
  public long countProducts(String collection) throws SolrException {
    return count(collection, IndexSchema.KIND + ":" + IndexSchema.KIND_PRODUCT);
  }

  /** How many image documents (vectors) the collection holds. */
  public long countImages(String collection) throws SolrException {
    return count(collection, IndexSchema.KIND + ":" + IndexSchema.KIND_IMAGE);
  }

  private long count(String collection, String query) throws SolrException {
    return select(collection, params("q", query, "rows", "0"))
        .path("response")
        .path("numFound")
        .asLong();
  }

  /** One product of a knn answer: its id and the score of its best image. */
  public record Hit(String id, double score) {}

  /**
   * The {@code k} products whose best image is nearest to {@code vector}, among the products
   * matching every filter (Solr queries on product fields, e.g. {@code brand:"Acme"}). The knn runs
   * over image documents pre-filtered to the images of matching products, {@code topK} images per
   * shard (over-fetch when products have several images), and {@code {!parent score=max}} turns
   * images into products scored by their best image. Ties are broken by product id.
   */
  public List<Hit> knn(
      String collection, String vectorField, float[] vector, int k, int topK, List<String> filters)
      throws SolrException {
    if (k < 1 || topK < k) {
      throw new IllegalArgumentException("need 1 <= k <= topK, got k=" + k + ", topK=" + topK);
    }
    List<Map.Entry<String, String>> p = new ArrayList<>();
    String productQuery = IndexSchema.KIND + ":" + IndexSchema.KIND_PRODUCT;
    StringBuilder knn =
        new StringBuilder("{!knn f=").append(vectorField).append(" topK=").append(topK);
    for (int i = 0; i < filters.size(); i++) {
      knn.append(" preFilter=$pf").append(i);
      p.add(Map.entry("pf" + i, "{!child of=\"" + productQuery + "\" v=$f" + i + "}"));
      p.add(Map.entry("f" + i, filters.get(i)));
      p.add(Map.entry("fq", filters.get(i)));
    }
    knn.append('}').append(vectorText(vector));
    p.add(Map.entry("q", "{!parent which=\"" + productQuery + "\" score=max v=$vq}"));
    p.add(Map.entry("vq", knn.toString()));
    p.add(Map.entry("fq", productQuery));
    p.add(Map.entry("fl", "id,score"));
    p.add(Map.entry("sort", "score desc,id asc"));
    p.add(Map.entry("rows", Integer.toString(k)));
    return hits(select(collection, p));
  }

  /**
   * BM25 search of the product text fields among the products matching every filter, ties broken by
   * product id: the embedded index's query ({@link LexicalQueries}) of every term of {@code text}.
   */
  public List<Hit> lexical(String collection, String text, int k, List<String> filters)
      throws SolrException {
    return lexicalTerms(
        collection, new LexicalQueries().terms(text, Integer.MAX_VALUE), k, filters);
  }

  /**
   * BM25 search for analysed terms, built as the embedded index builds it ({@link LexicalQueries}):
   * each term looked up in every text field with the same weights, the best field counting fully
   * and the others by the same tie-breaker (edismax's per-term dis-max), the terms' scores added
   * (every term optional). Empty when there is no term.
   */
  public List<Hit> lexicalTerms(String collection, List<String> terms, int k, List<String> filters)
      throws SolrException {
    if (terms.isEmpty()) {
      return List.of();
    }
    List<Map.Entry<String, String>> p = new ArrayList<>();
    p.add(Map.entry("defType", "edismax"));
    p.add(
        Map.entry(
            "q", String.join(" ", terms.stream().map(SolrCloudClient::escapeQueryChars).toList())));
    p.add(Map.entry("qf", queryFields()));
    p.add(Map.entry("tie", Float.toString(LexicalQueries.TIE_BREAKER)));
    p.add(Map.entry("q.op", "OR"));
    p.add(Map.entry("mm", "0"));
    p.add(Map.entry("sow", "true"));
    p.add(Map.entry("fq", IndexSchema.KIND + ":" + IndexSchema.KIND_PRODUCT));
    filters.forEach(f -> p.add(Map.entry("fq", f)));
    p.add(Map.entry("fl", "id,score"));
    p.add(Map.entry("sort", "score desc,id asc"));
    p.add(Map.entry("rows", Integer.toString(k)));
    return hits(select(collection, p));
  }

  private static String queryFields() {
    StringBuilder qf = new StringBuilder();
    for (String field : LexicalQueries.FIELDS) {
      qf.append(qf.isEmpty() ? "" : " ")
          .append(field)
          .append('^')
          .append(LexicalQueries.FIELD_BOOSTS.get(field));
    }
    return qf.toString();
  }

  /** A term made literal for the query parsers (SolrJ's {@code ClientUtils.escapeQueryChars}). */
  static String escapeQueryChars(String term) {
    StringBuilder sb = new StringBuilder(term.length() + 4);
    for (int i = 0; i < term.length(); i++) {
      char c = term.charAt(i);
      if ("\\+-!():^[]\"{}~*?|&;/".indexOf(c) >= 0 || Character.isWhitespace(c)) {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.toString();
  }

  private static List<Hit> hits(JsonNode answer) {
    List<Hit> hits = new ArrayList<>();
    for (JsonNode doc : answer.path("response").path("docs")) {
      hits.add(new Hit(doc.path("id").asText(), doc.path("score").asDouble()));
    }
    return hits;
  }

  /** One facet bucket: a value and how many products have it. */
  public record Bucket(String value, long count) {}

  /**
   * Product counts per value of each facet field (terms facets of Solr's JSON Facet API), over the
   * products matching every filter; the {@code limit} most frequent values of each field.
   */
  public Map<String, List<Bucket>> facets(
      String collection, List<String> filters, List<String> fields, int limit)
      throws SolrException {
    Map<String, Object> facet = new LinkedHashMap<>();
    for (String field : fields) {
      facet.put(field, Map.of("type", "terms", "field", field, "limit", limit));
    }
    List<Map.Entry<String, String>> p = new ArrayList<>();
    p.add(Map.entry("q", "*:*"));
    p.add(Map.entry("fq", IndexSchema.KIND + ":" + IndexSchema.KIND_PRODUCT));
    filters.forEach(f -> p.add(Map.entry("fq", f)));
    p.add(Map.entry("rows", "0"));
    p.add(Map.entry("json.facet", new String(toJson(facet), StandardCharsets.UTF_8)));
    JsonNode answer = select(collection, p).path("facets");
    Map<String, List<Bucket>> out = new LinkedHashMap<>();
    for (String field : fields) {
      List<Bucket> buckets = new ArrayList<>();
      for (JsonNode b : answer.path(field).path("buckets")) {
        buckets.add(new Bucket(b.path("val").asText(), b.path("count").asLong()));
      }
      out.put(field, buckets);
    }
    return out;
  }

  /** A Solr term query on one field, safe for any value: {@code {!term f=FIELD}VALUE}. */
  public static String termFilter(String field, String value) {
    return "{!term f=" + field + " v=" + quote(value) + "}";
  }

  static String quote(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static String vectorText(float[] vector) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < vector.length; i++) {
      sb.append(i == 0 ? "" : ",").append(vector[i]);
    }
    return sb.append(']').toString();
  }

  private static byte[] toJson(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write Solr request as JSON: " + e.getMessage(), e);
    }
  }

  private static List<Map.Entry<String, String>> params(String... keyValues) {
    List<Map.Entry<String, String>> p = new ArrayList<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      p.add(Map.entry(keyValues[i], keyValues[i + 1]));
    }
    return p;
  }

  @Override
  public void close() {
    http.close();
  }
}
