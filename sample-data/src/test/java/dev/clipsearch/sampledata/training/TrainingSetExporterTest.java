package dev.clipsearch.sampledata.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.sampledata.SampleCatalogConfig;
import dev.clipsearch.sampledata.catalog.CatalogRules;
import dev.clipsearch.sampledata.emoji.ImageStyle;
import dev.clipsearch.sampledata.fetch.NpmTarballs;
import dev.clipsearch.sampledata.testing.TestNpmCache;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The training set of the offline model, exported from the real pinned npm packages. */
@Tag("network")
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class TrainingSetExporterTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void every_concept_has_a_unique_id_and_its_listed_images_on_disk(@TempDir Path out)
      throws Exception {
    NpmTarballs tarballs =
        new NpmTarballs(TestNpmCache.tarballs(), "npm", SampleCatalogConfig.DEFAULT_NPM_TIMEOUT);

    TrainingSetExporter.Summary summary =
        new TrainingSetExporter(tarballs, CatalogRules.builtIn()).export(out);

    List<String> lines =
        Files.readAllLines(out.resolve(TrainingSetExporter.CONCEPTS), StandardCharsets.UTF_8);
    assertEquals(summary.concepts(), lines.size());
    assertTrue(lines.size() > 1800, "concepts: " + lines.size());
    Set<String> ids = new HashSet<>();
    int products = 0;
    int[] perStyle = new int[ImageStyle.values().length];
    for (String line : lines) {
      JsonNode concept = JSON.readTree(line);
      assertTrue(ids.add(concept.get("id").asText()), "duplicate id in " + line);
      assertTrue(concept.get("images").size() >= 1, line);
      for (ImageStyle style : ImageStyle.values()) {
        JsonNode image = concept.get("images").get(style.id());
        if (image != null) {
          assertTrue(Files.isRegularFile(out.resolve(image.asText())), image.asText());
          perStyle[style.ordinal()]++;
        }
      }
      if (!concept.get("category").isNull()) {
        products++;
      }
    }
    for (ImageStyle style : ImageStyle.values()) {
      assertEquals((int) summary.imagesByStyle().get(style), perStyle[style.ordinal()], style.id());
    }
    assertTrue(products >= 500 && products < lines.size() / 2, "products: " + products);
  }
}
