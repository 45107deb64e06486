package dev.clipsearch.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.models.hub.ModelCache;
import dev.clipsearch.models.hub.ModelRef;
import dev.clipsearch.models.hub.ModelRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelSelectorTest {

  @TempDir Path home;
  @TempDir Path elsewhere;

  private ModelCache cache;
  private ModelRef defaultModel;
  private final List<ModelRef> fetched = new ArrayList<>();
  private final StringWriter progress = new StringWriter();

  @BeforeEach
  void setUp() {
    cache = new ModelCache(home, ModelRegistry.builtIn());
    defaultModel =
        new ModelRef(
            cache.registry().defaultModel(), cache.registry().defaultModel().defaultVariant());
  }

  private ModelSelector.Fetcher fetcherInstalling() {
    return ref -> {
      fetched.add(ref);
      Path dir = cache.directoryFor(ref);
      try {
        Files.createDirectories(dir);
      } catch (java.io.IOException e) {
        throw new AssertionError(e);
      }
      return dir;
    };
  }

  private ModelSelector.Fetcher fetcherFailing(String why) {
    return ref -> {
      fetched.add(ref);
      throw new ModelSelector.FetchFailedException(why);
    };
  }

  private ModelChoice choose(ModelSelector selector, String explicit) throws NoModelException {
    return selector.choose(Optional.ofNullable(explicit), new PrintWriter(progress, true));
  }

  @Test
  void an_explicit_directory_wins_over_everything_and_nothing_is_downloaded() throws Exception {
    Files.createDirectories(cache.directoryFor(defaultModel));
    Path offline = Files.createDirectories(elsewhere.resolve("offline"));
    Path mine = Files.createDirectories(elsewhere.resolve("my-model"));
    ModelSelector selector =
        new ModelSelector(cache, fetcherInstalling(), "https://hub", () -> Optional.of(offline));

    ModelChoice choice = choose(selector, mine.toString());

    assertEquals(ModelChoice.Source.EXPLICIT, choice.source());
    assertEquals(mine.toAbsolutePath().normalize(), choice.directory());
    assertTrue(choice.name().startsWith("my-model-"), choice.name());
    assertTrue(choice.describe().contains("given with --model"), choice.describe());
    assertEquals(List.of(), fetched);
  }

  @Test
  void an_explicit_model_that_does_not_exist_is_an_error_naming_the_option() {
    ModelSelector selector =
        new ModelSelector(cache, fetcherInstalling(), "https://hub", Optional::empty);

    NoModelException e =
        assertThrows(
            NoModelException.class,
            () -> choose(selector, elsewhere.resolve("missing").toString()));

    assertTrue(e.getMessage().startsWith("--model: "), e.getMessage());
    assertEquals(List.of(), fetched);
  }

  @Test
  void the_default_model_downloaded_earlier_is_used_without_the_network_or_the_offline_model()
      throws Exception {
    Path installed = Files.createDirectories(cache.directoryFor(defaultModel));
    ModelSelector selector =
        new ModelSelector(
            cache,
            fetcherFailing("must not be called"),
            "https://hub",
            () -> {
              throw new AssertionError("the offline model is not installed when not needed");
            });

    ModelChoice choice = choose(selector, null);

    assertEquals(ModelChoice.Source.CACHED, choice.source());
    assertEquals(installed, choice.directory());
    assertEquals(defaultModel.installName(), choice.name());
    assertEquals(List.of(), fetched);
  }

  @Test
  void another_fetched_model_in_the_cache_is_used_but_a_directory_without_receipt_is_not()
      throws Exception {
    // A folder someone copied into the cache (a test model, say) has no download receipt.
    Files.createDirectories(cache.modelsDir().resolve("a-copied-model"));
    Path fetchedEarlier = Files.createDirectories(cache.modelsDir().resolve("b-fetched-model"));
    Files.writeString(
        fetchedEarlier.resolve("download-receipt.json"),
        "{\"model\":\"b\",\"variant\":\"fp32\",\"repository\":\"r\",\"revision\":\"x\","
            + "\"endpoint\":\"https://hub\",\"fetchedAt\":\"2026-01-01T00:00:00Z\",\"files\":[]}",
        StandardCharsets.UTF_8);
    ModelSelector selector =
        new ModelSelector(
            cache, fetcherFailing("must not be called"), "https://hub", Optional::empty);

    ModelChoice choice = choose(selector, null);

    assertEquals(ModelChoice.Source.CACHED, choice.source());
    assertEquals(fetchedEarlier, choice.directory());
    assertEquals(List.of(), fetched);
  }

  @Test
  void with_an_empty_cache_the_default_model_is_downloaded() throws Exception {
    ModelSelector selector =
        new ModelSelector(cache, fetcherInstalling(), "https://hub", Optional::empty);

    ModelChoice choice = choose(selector, null);

    assertEquals(ModelChoice.Source.FETCHED, choice.source());
    assertEquals(List.of(defaultModel), fetched);
    assertEquals(cache.directoryFor(defaultModel), choice.directory());
    assertTrue(choice.why().contains("https://hub"), choice.why());
    assertTrue(progress.toString().contains("downloading " + defaultModel.installName()));
  }

  @Test
  void when_the_download_fails_the_offline_model_is_used_and_the_line_says_why() throws Exception {
    Path offline = Files.createDirectories(elsewhere.resolve("clipsearch-offline"));
    ModelSelector selector =
        new ModelSelector(
            cache,
            fetcherFailing("huggingface.co is unreachable"),
            "https://hub",
            () -> Optional.of(offline));

    ModelChoice choice = choose(selector, null);

    assertEquals(ModelChoice.Source.OFFLINE, choice.source());
    assertEquals(offline, choice.directory());
    assertEquals("clipsearch-offline", choice.name());
    assertTrue(choice.describe().contains("offline model"), choice.describe());
    assertTrue(choice.describe().contains("huggingface.co is unreachable"), choice.describe());
    assertEquals(1, fetched.size());
  }

  @Test
  void offline_mode_never_calls_the_network() throws Exception {
    Path offline = Files.createDirectories(elsewhere.resolve("clipsearch-offline"));
    ModelSelector selector =
        new ModelSelector(cache, null, "https://hub", () -> Optional.of(offline));

    ModelChoice choice = choose(selector, null);

    assertEquals(ModelChoice.Source.OFFLINE, choice.source());
    assertTrue(choice.why().contains("--offline"), choice.why());
  }

  @Test
  void without_any_model_the_error_says_what_was_tried_and_what_to_do() {
    ModelSelector selector =
        new ModelSelector(
            cache, fetcherFailing("no route to host"), "https://hub", Optional::empty);

    NoModelException e = assertThrows(NoModelException.class, () -> choose(selector, null));

    assertTrue(e.getMessage().contains(cache.modelsDir().toString()), e.getMessage());
    assertTrue(e.getMessage().contains("no route to host"), e.getMessage());
    assertTrue(e.getMessage().contains("--model DIR"), e.getMessage());
    assertTrue(e.getMessage().contains("clipsearch models fetch"), e.getMessage());
  }
}
