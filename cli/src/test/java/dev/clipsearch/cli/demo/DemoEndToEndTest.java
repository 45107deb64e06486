package dev.clipsearch.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.cli.Main;
import dev.clipsearch.models.testing.TestModels;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clipsearch demo} as a user runs it, in a child JVM: builds the small sample catalog from
 * the pinned npm packages (cached under the clipsearch home, or fetched with {@code npm pack}),
 * indexes it, serves it; then a second run finds the index up to date. The model is the tiny
 * random-weight test model given explicitly, so only the plumbing is checked, never the ranking.
 */
class DemoEndToEndTest {

  private static final Pattern SERVING = Pattern.compile("serving on (http://\\S+/)");
  private static final Pattern COUNTS =
      Pattern.compile("(\\d+) added, (\\d+) updated, (\\d+) unchanged");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path data;

  @Test
  void the_demo_indexes_the_small_catalog_serves_the_page_and_a_rerun_skips_everything()
      throws Exception {
    Path model = TestModels.tiny(TestModels.Layout.HF);
    List<String> output = new ArrayList<>();
    Process first = start(model, false);
    try {
      String url = waitForUrl(first, output);
      HttpClient http = HttpClient.newHttpClient();

      HttpResponse<String> page = get(http, url);
      assertEquals(200, page.statusCode());
      assertTrue(page.body().contains("<html"), "the search page at /");

      JsonNode ready = JSON.readTree(get(http, url + "ready").body());
      long products = ready.path("products").asLong();
      assertTrue(products > 100, "the small catalog indexed: " + ready);

      HttpResponse<String> search = get(http, url + "api/search?q=umbrella&k=5");
      assertEquals(200, search.statusCode(), search.body());
      assertEquals(5, JSON.readTree(search.body()).path("hits").size(), search.body());
    } finally {
      first.destroy(); // SIGTERM: the server's shutdown hook closes it
      assertTrue(first.waitFor(60, TimeUnit.SECONDS), "the demo stops on SIGTERM");
    }
    String firstRun = String.join("\n", output);
    assertTrue(firstRun.contains("given with --model"), firstRun);
    assertTrue(firstRun.contains("random weights"), "the random model is called out: " + firstRun);
    Matcher counts = COUNTS.matcher(firstRun);
    assertTrue(counts.find(), firstRun);
    assertTrue(Integer.parseInt(counts.group(1)) > 100, "first run adds the products: " + firstRun);

    output.clear();
    Process second = start(model, true);
    String secondRun = readAll(second, output);
    assertEquals(0, second.waitFor(), secondRun);
    Matcher again = COUNTS.matcher(secondRun);
    assertTrue(again.find(), secondRun);
    assertEquals("0", again.group(1), "nothing added on the second run: " + secondRun);
    assertEquals("0", again.group(2), "nothing updated on the second run: " + secondRun);
    assertEquals(counts.group(1), again.group(3), "everything unchanged: " + secondRun);
  }

  private Process start(Path model, boolean noServe) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx1g",
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "demo",
                "--small",
                "--offline",
                "--device",
                "cpu",
                "--model",
                model.toString(),
                "--data-dir",
                data.toString(),
                "--port",
                "0"));
    if (noServe) {
      command.add("--no-serve");
    }
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectInput(
        ProcessBuilder.Redirect.from(Files.createTempFile(data, "in", "").toFile()));
    return builder.start();
  }

  private static String waitForUrl(Process process, List<String> output) throws IOException {
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = reader.readLine()) != null) {
      output.add(line);
      Matcher m = SERVING.matcher(line);
      if (m.find()) {
        Thread drain =
            new Thread(
                () -> {
                  try {
                    for (String rest; (rest = reader.readLine()) != null; ) {
                      synchronized (output) {
                        output.add(rest);
                      }
                    }
                  } catch (IOException ignored) {
                    // the process ended
                  }
                });
        drain.setDaemon(true);
        drain.start();
        return m.group(1);
      }
    }
    fail("the demo ended without serving:\n" + String.join("\n", output));
    return null;
  }

  private static String readAll(Process process, List<String> output) throws IOException {
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) {
        output.add(line);
      }
    }
    return String.join("\n", output);
  }

  private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
