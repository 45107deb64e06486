package dev.clipsearch.searcher.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.indexer.index.search.LuceneSearchStore;
import dev.clipsearch.models.testing.FakeClipModel;
import dev.clipsearch.searcher.audit.AuditReport.ImageRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit on {@link AuditTestCatalog}: each planted problem found, and nothing else. */
class CatalogAuditTest {

  @TempDir Path dir;
  final FakeClipModel model = new FakeClipModel();
  Path index;

  @BeforeEach
  void writeIndex() throws Exception {
    index = dir.resolve("index");
    AuditTestCatalog.write(index, model);
  }

  AuditReport audit(AuditSettings settings) throws Exception {
    AtomicLong progress = new AtomicLong();
    try (LuceneSearchStore store =
        LuceneSearchStore.open(index, model.spec(), false, Duration.ofHours(1))) {
      AuditReport report = new CatalogAudit(model, settings).run(store, progress::addAndGet);
      assertEquals(AuditTestCatalog.PRODUCTS, progress.get(), "progress counts every product");
      return report;
    }
  }

  @Test
  void finds_the_misfiled_product_and_names_the_category_it_looks_like() throws Exception {
    AuditReport report = audit(AuditSettings.defaults());
    assertEquals(AuditTestCatalog.PRODUCTS, report.counts().products());
    assertEquals(
        List.of("Paint > Blue", "Paint > Green", "Paint > Red", "Paint > Yellow"),
        report.categories());
    assertEquals(1, report.categoryMismatches().size(), report.categoryMismatches().toString());
    AuditReport.CategoryMismatch m = report.categoryMismatches().get(0);
    assertEquals(AuditTestCatalog.MISFILED, m.product().productId());
    assertEquals("Paint > Blue", m.storedCategory());
    assertEquals("Paint > Red", m.predictedCategory());
    assertEquals(m.predictedProbability() - m.storedProbability(), m.margin(), 1e-9);
  }

  @Test
  void groups_the_copied_image_across_its_three_products() throws Exception {
    AuditReport report = audit(AuditSettings.defaults());
    assertEquals(1, report.duplicateGroups().size(), report.duplicateGroups().toString());
    AuditReport.DuplicateGroup group = report.duplicateGroups().get(0);
    assertEquals(
        AuditTestCatalog.COPIES,
        group.images().stream().map(ImageRef::key).collect(Collectors.toSet()));
    assertEquals(3, group.products());
    assertTrue(group.minCosine() > 0.999, "exact copies: " + group.minCosine());
  }

  @Test
  void a_copy_group_larger_than_the_neighbour_count_is_found_whole() throws Exception {
    AuditSettings one =
        new AuditSettings(
            0.95, 1, 0.2, 0.2, "a photo of {}", AuditSettings.PLACEHOLDER_PROMPTS, 10);
    AuditReport report = audit(one);
    Set<String> found = new TreeSet<>();
    report.duplicateGroups().forEach(g -> g.images().forEach(i -> found.add(i.key())));
    assertEquals(new TreeSet<>(AuditTestCatalog.COPIES), found);
  }

  @Test
  void reports_the_plain_white_image_as_a_placeholder() throws Exception {
    AuditReport report = audit(AuditSettings.defaults());
    assertEquals(
        List.of(AuditTestCatalog.BLANK),
        report.placeholders().stream().map(p -> p.image().key()).toList());
    assertTrue(report.placeholders().get(0).prompt().contains("white"));
  }

  @Test
  void a_threshold_of_one_keeps_only_the_exact_copies() throws Exception {
    AuditReport report = audit(AuditSettings.defaults().withDuplicateThreshold(1.0));
    Set<String> found = new TreeSet<>();
    report.duplicateGroups().forEach(g -> g.images().forEach(i -> found.add(i.key())));
    assertTrue(AuditTestCatalog.COPIES.containsAll(found), found.toString());
  }

  @Test
  void the_limit_caps_each_section_but_not_its_count() throws Exception {
    AuditReport report = audit(AuditSettings.defaults().withMargins(0, 0).withLimit(1));
    assertTrue(report.counts().categoryMismatches() >= 1);
    assertTrue(report.categoryMismatches().size() <= 1);
    assertTrue(report.placeholders().size() <= 1);
  }

  @Test
  void writes_json_and_a_self_contained_html_page_with_inline_thumbnails() throws Exception {
    AuditReport report = audit(AuditSettings.defaults());
    Path out = dir.resolve("out");
    AuditFiles.write(report, out);
    AuditReport back = AuditFiles.readJson(out.resolve(AuditFiles.JSON_FILE));
    assertEquals(report.counts(), back.counts());
    assertEquals(report.categoryMismatches(), back.categoryMismatches());
    String html = Files.readString(out.resolve(AuditFiles.HTML_FILE));
    for (String id :
        List.of(AuditHtml.MISMATCHES_ID, AuditHtml.DUPLICATES_ID, AuditHtml.PLACEHOLDERS_ID)) {
      assertTrue(html.contains("<section id=\"" + id + "\">"), id);
    }
    assertTrue(html.contains("src=\"data:image/jpeg;base64,"), "inline thumbnails");
    assertFalse(html.contains("src=\"http"), "nothing loaded from the network");
    assertFalse(html.contains("<script"), "no script");
    assertFalse(html.contains("no thumbnail"), "every shown image has its thumbnail");
    assertFalse(Files.readString(out.resolve(AuditFiles.JSON_FILE)).contains("base64"));
  }

  @Test
  void html_escapes_catalog_text() {
    assertEquals("&lt;b&gt; &amp; &quot;x&quot; &#39;", AuditHtml.esc("<b> & \"x\" '"));
  }

  @Test
  void refuses_a_model_that_did_not_build_the_index() throws Exception {
    FakeClipModel other = new FakeClipModel("another-model");
    try (LuceneSearchStore store =
        LuceneSearchStore.open(index, model.spec(), false, Duration.ofHours(1))) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> new CatalogAudit(other, AuditSettings.defaults()).run(store, n -> {}));
      assertTrue(e.getMessage().contains("another-model"), e.getMessage());
    }
  }

  @Test
  void bad_settings_are_refused_naming_the_setting() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> AuditSettings.defaults().withDuplicateThreshold(0));
    assertTrue(e.getMessage().contains("duplicate threshold"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> AuditSettings.defaults().withMargins(1.5, 0));
    assertTrue(e.getMessage().contains("category margin"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> AuditSettings.defaults().withLimit(0));
    assertTrue(e.getMessage().contains("limit"), e.getMessage());
  }
}
