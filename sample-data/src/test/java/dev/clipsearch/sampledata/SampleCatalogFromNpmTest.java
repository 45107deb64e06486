package dev.clipsearch.sampledata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.sampledata.catalog.CatalogRules;
import dev.clipsearch.sampledata.emoji.EmojiEntry;
import dev.clipsearch.sampledata.emoji.Emojibase;
import dev.clipsearch.sampledata.emoji.ImageStyle;
import dev.clipsearch.sampledata.fetch.NpmPins;
import dev.clipsearch.sampledata.fetch.NpmTarballs;
import dev.clipsearch.sampledata.fetch.SafeTarGz;
import dev.clipsearch.sampledata.testing.TestNpmCache;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds the small catalog from the real, pinned npm packages: from the tests' own tarball folder
 * ({@link TestNpmCache}) when they are there, otherwise with {@code npm pack} (about 160 MB the
 * first time). Without npm or the registry this test fails with the builder's message saying what
 * failed.
 */
@Tag("network")
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class SampleCatalogFromNpmTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path CACHE = TestNpmCache.tarballs();

  @TempDir static Path out;
  private static BuildSummary summary;

  @BeforeAll
  @Timeout(value = 30, unit = TimeUnit.MINUTES)
  static void buildSmallCatalog() {
    SampleCatalogConfig config =
        SampleCatalogConfig.defaults(CACHE, out).withSizes(EnumSet.of(CatalogSize.SMALL));
    summary = new SampleCatalogBuilder(config).build();
  }

  private static List<JsonNode> products() throws Exception {
    List<JsonNode> products = new ArrayList<>();
    for (String line :
        Files.readAllLines(summary.catalog(CatalogSize.SMALL), StandardCharsets.UTF_8)) {
      products.add(JSON.readTree(line));
    }
    return products;
  }

  @Test
  void the_small_catalog_has_the_configured_size_spread_over_many_categories() throws Exception {
    List<JsonNode> products = products();
    Set<String> categories = new TreeSet<>();
    Set<String> departments = new TreeSet<>();
    Set<String> ids = new HashSet<>();
    for (JsonNode p : products) {
      categories.add(p.get("category").asText());
      departments.add(p.get("category").asText().split(" > ")[0]);
      assertTrue(ids.add(p.get("id").asText()), "duplicate id " + p.get("id"));
    }

    assertEquals(SampleCatalogConfig.DEFAULT_SMALL_CATALOG_SIZE, products.size());
    assertEquals(summary.catalogs().get(CatalogSize.SMALL).categories(), categories.size());
    assertTrue(categories.size() >= 60, "categories: " + categories);
    assertTrue(departments.size() >= 15, "departments: " + departments);
    assertTrue(summary.skipped().get("not-a-product") > 500, "skipped: " + summary.skipped());
  }

  @Test
  void every_image_decodes_and_the_3d_render_comes_first() throws Exception {
    int decoded = 0;
    Map<String, Integer> byStyle = new HashMap<>();
    for (JsonNode p : products()) {
      List<String> images = new ArrayList<>();
      p.get("images").forEach(i -> images.add(i.asText()));
      assertTrue(!images.isEmpty(), p.get("id").asText());
      for (String image : images) {
        Path file = out.resolve(image);
        BufferedImage pixels = ImageIO.read(file.toFile());
        assertNotNull(pixels, "no ImageIO reader decodes " + file);
        String style = image.split("/")[1];
        int expected = style.equals(ImageStyle.FLUENT_3D.id()) ? 256 : 64;
        assertEquals(expected, pixels.getWidth(), file.toString());
        assertEquals(expected, pixels.getHeight(), file.toString());
        byStyle.merge(style, 1, Integer::sum);
        decoded++;
      }
    }
    assertEquals(summary.images(), decoded);
    assertEquals(
        Set.of("fluent-3d", "noto", "twemoji"), byStyle.keySet(), "images by style " + byStyle);
    assertTrue(byStyle.get("fluent-3d") >= 190, "images by style " + byStyle);
  }

  @Test
  void the_catalog_carries_the_licence_notices() throws Exception {
    String licenses = Files.readString(out.resolve(SampleCatalogBuilder.LICENSES));
    assertTrue(licenses.contains("Creative Commons Attribution 4.0"), "Twemoji attribution");
    assertTrue(licenses.contains("Apache License"), "Noto licence");
  }

  @Test
  void a_second_build_with_everything_in_place_does_nothing() throws Exception {
    Path catalog = summary.catalog(CatalogSize.SMALL);
    FileTime written = Files.getLastModifiedTime(catalog);
    SampleCatalogConfig config =
        SampleCatalogConfig.defaults(CACHE, out).withSizes(EnumSet.of(CatalogSize.SMALL));

    BuildSummary again = new SampleCatalogBuilder(config).build();

    assertTrue(again.upToDate());
    assertEquals(summary.catalogs(), again.catalogs());
    assertEquals(summary.images(), again.images());
    assertEquals(written, Files.getLastModifiedTime(catalog));
  }

  @Test
  void every_rule_names_an_emoji_or_subgroup_of_the_pinned_data() {
    Path tarball =
        new NpmTarballs(CACHE, "npm", SampleCatalogConfig.DEFAULT_NPM_TIMEOUT)
            .fetch(NpmPins.EMOJIBASE_DATA);
    Map<String, byte[]> files = new HashMap<>();
    SafeTarGz.forEachFile(
        tarball,
        (name, size, content) -> {
          if (name.equals(Emojibase.DATA_ENTRY) || name.equals(Emojibase.GROUPS_ENTRY)) {
            files.put(name, content.readAllBytes());
          }
        });
    List<EmojiEntry> entries =
        Emojibase.parse(files.get(Emojibase.DATA_ENTRY), files.get(Emojibase.GROUPS_ENTRY));
    CatalogRules rules = CatalogRules.builtIn();

    Set<String> unknownLabels = new TreeSet<>(rules.emojiRuleLabels());
    unknownLabels.removeAll(entries.stream().map(EmojiEntry::label).collect(Collectors.toSet()));
    Set<String> unknownSubgroups = new TreeSet<>(rules.subgroupRuleKeys());
    unknownSubgroups.removeAll(
        entries.stream().map(EmojiEntry::subgroup).collect(Collectors.toSet()));

    assertEquals(Set.of(), unknownLabels, "emoji rules for labels emojibase does not have");
    assertEquals(Set.of(), unknownSubgroups, "subgroup rules for subgroups emojibase lacks");
  }
}
