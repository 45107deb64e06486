package dev.clipsearch.indexer.solr;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One local SolrCloud shared by the tests of one class: started in {@code @BeforeAll}, closed (its
 * processes stopped by pid) in {@code @AfterAll}. Each test names its own collections through
 * {@link #collection}, and {@link #dropCollections} deletes them after the test, so tests share no
 * data and the nodes do not fill up with cores.
 */
final class SolrTestCloud implements AutoCloseable {

  private final LocalSolrCloud cloud;
  private final SolrCloudClient client;
  private final List<String> collections = new ArrayList<>();
  private int tests;

  private SolrTestCloud(LocalSolrCloud cloud) {
    this.cloud = cloud;
    this.client = new SolrCloudClient(SolrNodes.parse(cloud.solrUrls()));
  }

  /** Starts {@code nodes} Solr nodes and ZooKeeper in {@code dir}, printing how long it took. */
  static SolrTestCloud start(int nodes, Path dir, String who) throws LocalSolrCloudException {
    long start = System.nanoTime();
    LocalSolrCloud cloud = SolrTestSupport.start(nodes, dir);
    System.out.printf(
        "%s: %d Solr node(s) + ZooKeeper live after %.1f s%n",
        who, nodes, (System.nanoTime() - start) / 1e9);
    return new SolrTestCloud(cloud);
  }

  SolrCloudClient client() {
    return client;
  }

  LocalSolrCloud cloud() {
    return cloud;
  }

  /** The collection a test calls {@code name}: unique to the test, deleted after it. */
  String collection(String name) {
    String collection = "t" + tests + "-" + name;
    if (!collections.contains(collection)) {
      collections.add(collection);
    }
    return collection;
  }

  /** Deletes the collections of the test that ends, and starts naming for the next one. */
  void dropCollections() throws SolrException {
    for (String collection : collections) {
      if (client.collectionExists(collection)) {
        client.deleteCollection(collection);
      }
    }
    collections.clear();
    tests++;
  }

  @Override
  public void close() {
    client.close();
    cloud.close();
  }
}
