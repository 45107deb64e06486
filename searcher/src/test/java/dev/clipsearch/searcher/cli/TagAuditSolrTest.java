package dev.clipsearch.searcher.cli;

import static dev.clipsearch.indexer.testing.IndexedProducts.indexed;
import static dev.clipsearch.models.testing.TestProducts.product;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.indexer.cli.SolrStores;
import dev.clipsearch.indexer.cli.StoreTarget;
import dev.clipsearch.indexer.cli.TagCommand;
import dev.clipsearch.indexer.solr.LocalSolrCloud;
import dev.clipsearch.indexer.solr.SolrCatalogStore;
import dev.clipsearch.indexer.solr.SolrCloudClient;
import dev.clipsearch.indexer.solr.SolrCollectionSpec;
import dev.clipsearch.indexer.solr.SolrModelIdentity;
import dev.clipsearch.indexer.solr.SolrNodes;
import dev.clipsearch.indexer.solr.SolrTestSupport;
import dev.clipsearch.indexer.store.FacetValue;
import dev.clipsearch.indexer.store.IndexedProduct;
import dev.clipsearch.indexer.store.ProductFilter;
import dev.clipsearch.indexer.store.ProductMatch;
import dev.clipsearch.indexer.store.SearchStore;
import dev.clipsearch.indexer.store.StoreView;
import dev.clipsearch.indexer.tag.AttributeFile;
import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ClipModels;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.testing.Colors;
import dev.clipsearch.models.testing.FakeClipModel;
import dev.clipsearch.models.testing.TestModels;
import dev.clipsearch.models.testing.TestProducts;
import java.awt.Color;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code clipsearch tag --solr} and {@code clipsearch audit --solr} against a real one-node
 * SolrCloud (started once for the class, stopped by pid): tagging gives every product its {@code
 * attr.*} value from the vectors in the collection without encoding an image, and the values are
 * facets and filters of the Solr search store; the audit reads the collection and writes {@code
 * audit.json} with its three sections.
 */
@Tag("solr")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TagAuditSolrTest {

  private Path tmp;
  private LocalSolrCloud cloud;
  private SolrNodes nodes;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    tmp = dir;
    cloud = SolrTestSupport.start(1, dir.resolve("solr"));
    nodes = SolrNodes.parse(cloud.solrUrls());
  }

  @AfterAll
  void stop() {
    if (cloud != null) {
      cloud.close();
    }
  }

  /** Writes {@code products} to a new collection of {@code model}, committed as "complete". */
  private void collection(String name, ClipModel model, List<IndexedProduct> products)
      throws Exception {
    SolrCollectionSpec spec =
        SolrCollectionSpec.withDefaults(name, 1, 1, SolrModelIdentity.of(model.spec()));
    try (SolrCloudClient client = new SolrCloudClient(nodes);
        SolrCatalogStore store = SolrCatalogStore.open(client, spec, model.spec())) {
      for (IndexedProduct product : products) {
        store.upsert(product);
      }
      store.commit("complete");
    }
  }

  private static float[] colour(FakeClipModel fake, String name) {
    Color c = Colors.NAMED.get(name);
    return fake.colourVector(c.getRed() / 255f, c.getGreen() / 255f, c.getBlue() / 255f);
  }

  @Test
  void tag_solr_sets_attribute_facets_from_stored_vectors_without_encoding_an_image()
      throws Exception {
    FakeClipModel fake = new FakeClipModel();
    collection(
        "colours",
        fake,
        List.of(
            indexed(product("p-red", "Acme", "Bags", "10", List.of(), 1), colour(fake, "red")),
            indexed(
                product("p-blue", "Acme", "Bags", "10", List.of(), 2),
                colour(fake, "blue"),
                colour(fake, "blue")),
            indexed(
                product("p-green", "Acme", "Bags", "10", List.of(), 1), colour(fake, "green"))));
    StoreTarget.Solr target = new StoreTarget.Solr(nodes, "colours");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        TagCommand.tag(
            target,
            AttributeFile.parse("colours.txt", "color: red, blue, green | {}"),
            fake,
            0.5,
            0.2,
            false,
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    assertEquals(0, code, err.toString());
    assertTrue(err.toString().contains("tagging Solr collection 'colours'"), err.toString());
    assertTrue(out.toString().contains("tagged 3 products, 3 written again"), out.toString());
    assertEquals(0, fake.imageCalls(), "no image is encoded");

    try (SearchStore store = SolrStores.openSearch(target, fake.spec(), false);
        StoreView view = store.view()) {
      assertEquals(List.of("attr.color"), view.attributeFacets());
      List<ProductMatch> all = view.knn(colour(fake, "red"), 10, ProductFilter.NONE);
      Map<String, Integer> counts = new HashMap<>();
      for (FacetValue value : view.facets(all, List.of("attr.color"), 10).get("attr.color")) {
        counts.put(value.value(), value.count());
      }
      assertEquals(Map.of("red", 1, "blue", 1, "green", 1), counts);
      for (String colour : List.of("red", "blue", "green")) {
        ProductFilter only = ProductFilter.NONE.withAttributes(Map.of("color", List.of(colour)));
        List<ProductMatch> matches = view.knn(colour(fake, "red"), 10, only);
        assertEquals(1, matches.size(), colour + ": " + matches);
        assertEquals("p-" + colour, matches.get(0).productId());
      }
    }
    assertEquals("complete", SolrStores.read(target).lastRun(), "the last run state is kept");
  }

  @Test
  void tag_and_audit_command_lines_read_the_collection() throws Exception {
    Path modelDir = TestModels.tiny(TestModels.Layout.HF);
    Random random = new Random(11);
    try (ClipModel model =
        ClipModels.load(modelDir, RuntimeOptions.defaults().withDevice(Device.CPU))) {
      float[] shared = TestProducts.unitVector(random, model.dimension());
      collection(
          "shop",
          model,
          List.of(
              indexed(product("a", "Acme", "Bags", "10", List.of(), 1), shared),
              indexed(product("b", "Acme", "Shoes", "12", List.of(), 1), shared),
              indexed(
                  product("c", "Acme", "Bags", "14", List.of(), 1),
                  TestProducts.unitVector(random, model.dimension())),
              indexed(
                  product("d", "Acme", "Shoes", "16", List.of(), 1),
                  TestProducts.unitVector(random, model.dimension()))));
    }
    Path attributes = Files.writeString(tmp.resolve("attrs.txt"), "material: leather, wood\n");
    String[] store = {"--solr", cloud.solrUrls(), "--collection", "shop"};

    StringWriter tagOut = new StringWriter();
    StringWriter tagErr = new StringWriter();
    CommandLine tag = new CommandLine(new TagCommand());
    tag.setOut(new PrintWriter(tagOut, true));
    tag.setErr(new PrintWriter(tagErr, true));
    int tagged =
        tag.execute(
            concat(
                store,
                "--attributes",
                attributes.toString(),
                "--model",
                modelDir.toString(),
                "--device",
                "cpu",
                "--no-progress"));
    assertEquals(0, tagged, tagErr.toString());
    assertTrue(tagOut.toString().contains("tagged 4 products"), tagOut.toString());
    assertTrue(tagOut.toString().contains("used 4 stored image vectors"), tagOut.toString());

    Path outDir = tmp.resolve("audit");
    StringWriter auditOut = new StringWriter();
    StringWriter auditErr = new StringWriter();
    CommandLine audit = new CommandLine(new AuditCommand(Map.of(), tmp.resolve("home")));
    audit.setOut(new PrintWriter(auditOut, true));
    audit.setErr(new PrintWriter(auditErr, true));
    int audited =
        audit.execute(
            concat(
                store,
                "--out",
                outDir.toString(),
                "--model",
                modelDir.toString(),
                "--no-progress"));
    assertEquals(0, audited, auditErr.toString());
    assertTrue(auditOut.toString().contains("audit: 4 products, 4 images"), auditOut.toString());
    JsonNode report = new ObjectMapper().readTree(outDir.resolve("audit.json").toFile());
    for (String section : List.of("categoryMismatches", "duplicateGroups", "placeholders")) {
      assertTrue(report.path(section).isArray(), section + " in " + report);
    }
    // a and b share their image vector: the one near-duplicate group, across two products
    assertEquals(1, report.path("duplicateGroups").size(), report.toString());
    Set<String> grouped = new HashSet<>();
    report
        .path("duplicateGroups")
        .get(0)
        .path("images")
        .forEach(image -> grouped.add(image.path("productId").asText()));
    assertEquals(Set.of("a", "b"), grouped);
    assertTrue(Files.isRegularFile(outDir.resolve("audit.html")));
  }

  private static String[] concat(String[] first, String... rest) {
    String[] all = new String[first.length + rest.length];
    System.arraycopy(first, 0, all, 0, first.length);
    System.arraycopy(rest, 0, all, first.length, rest.length);
    return all;
  }
}
