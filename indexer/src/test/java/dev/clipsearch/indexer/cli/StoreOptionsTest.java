package dev.clipsearch.indexer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.indexer.solr.SolrNodes;
import dev.clipsearch.models.testing.TestModels;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --index} or {@code --solr} on index, stats and delete: exactly one of them, the collection
 * only with Solr, and a Solr that cannot be reached at start is one error line naming the URL and
 * exit code 1 (no Solr process needed: the URL points at a port nothing listens on).
 */
class StoreOptionsTest {

  @TempDir Path tmp;

  @Test
  void index_or_solr_becomes_the_store_target_with_the_default_collection() {
    IndexCommand command = new IndexCommand(Map.of(), tmp);
    new CommandLine(command)
        .parseArgs("--catalog", "c.jsonl", "--model", "m", "--solr", "http://h:8983/solr/");
    assertEquals(
        new StoreTarget.Solr(SolrNodes.parse("http://h:8983/solr"), "products"),
        command.store.target());

    StatsCommand stats = new StatsCommand();
    new CommandLine(stats).parseArgs("--index", "dir");
    assertEquals(new StoreTarget.Embedded(Path.of("dir")), stats.store.target());

    StatsCommand two = new StatsCommand();
    new CommandLine(two)
        .parseArgs("--solr", "http://a:1/solr, http://b:2/solr", "--collection", "shop");
    assertEquals(
        new StoreTarget.Solr(SolrNodes.parse("http://a:1/solr,http://b:2/solr"), "shop"),
        two.store.target());
  }

  @Test
  void both_or_neither_of_index_and_solr_is_a_usage_error_naming_them() {
    CommandRun both =
        CommandRun.run(new StatsCommand(), "--index", "dir", "--solr", "http://h:8983/solr");
    assertEquals(2, both.exitCode(), both.toString());
    assertTrue(both.err().contains("--index and --solr are mutually exclusive"), both.toString());

    CommandRun neither = CommandRun.run(new DeleteCommand(), "p1");
    assertEquals(2, neither.exitCode(), neither.toString());
    assertTrue(neither.err().contains("missing --index DIR"), neither.toString());
    assertTrue(neither.err().contains("--solr URL"), neither.toString());
  }

  @Test
  void collection_without_solr_and_malformed_urls_are_usage_errors() {
    CommandRun collection =
        CommandRun.run(new StatsCommand(), "--index", "dir", "--collection", "x");
    assertEquals(2, collection.exitCode(), collection.toString());
    assertTrue(collection.err().contains("--collection needs --solr"), collection.toString());

    CommandRun url = CommandRun.run(new StatsCommand(), "--solr", "ftp://h/solr");
    assertEquals(2, url.exitCode(), url.toString());
    assertTrue(url.err().contains("--solr: bad Solr URL 'ftp://h/solr'"), url.toString());

    CommandRun name =
        CommandRun.run(new StatsCommand(), "--solr", "http://h/solr", "--collection", "a b");
    assertEquals(2, name.exitCode(), name.toString());
    assertTrue(name.err().contains("bad collection name 'a b'"), name.toString());
  }

  @Test
  void shards_and_replicas_need_solr() throws IOException {
    Path catalog = Files.writeString(tmp.resolve("c.jsonl"), "");
    CommandRun run =
        CommandRun.run(
            new IndexCommand(Map.of(), tmp),
            "--catalog",
            catalog.toString(),
            "--index",
            tmp.resolve("idx").toString(),
            "--model",
            TestModels.tiny(TestModels.Layout.HF).toString(),
            "--replicas",
            "2");
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.err().contains("--shards and --replicas need --solr"), run.toString());
  }

  @Test
  void an_unreachable_solr_at_start_is_one_error_naming_the_url_and_exit_code_1()
      throws IOException {
    String url = "http://127.0.0.1:" + closedPort() + "/solr";
    Path catalog =
        Files.writeString(
            tmp.resolve("c.jsonl"),
            "{\"id\": \"p1\", \"title\": \"t\", \"images\": [\"a.jpg\"]}\n");

    CommandRun index =
        CommandRun.run(
            new IndexCommand(Map.of(), tmp),
            "--catalog",
            catalog.toString(),
            "--solr",
            url,
            "--model",
            TestModels.tiny(TestModels.Layout.HF).toString(),
            "--device",
            "cpu",
            "--no-progress");
    CommandRun stats = CommandRun.run(new StatsCommand(), "--solr", url);
    CommandRun delete = CommandRun.run(new DeleteCommand(), "--solr", url, "p1");
    for (CommandRun run : new CommandRun[] {index, stats, delete}) {
      assertEquals(1, run.exitCode(), run.toString());
      assertTrue(run.err().contains("cannot reach Solr at " + url), run.toString());
      assertTrue(run.err().contains("collection 'products'"), run.toString());
    }
  }

  @Test
  void quantization_with_solr_is_a_usage_error_before_solr_is_asked() throws IOException {
    Path catalog =
        Files.writeString(
            tmp.resolve("c.jsonl"),
            "{\"id\": \"p1\", \"title\": \"t\", \"images\": [\"a.jpg\"]}\n");
    CommandRun run =
        CommandRun.run(
            new IndexCommand(Map.of(), tmp),
            "--catalog",
            catalog.toString(),
            "--solr",
            "http://127.0.0.1:" + closedPort() + "/solr",
            "--model",
            TestModels.tiny(TestModels.Layout.HF).toString(),
            "--device",
            "cpu",
            "--no-progress",
            "--quantization",
            "int8");
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(
        run.err().contains("--quantization int8 is not available with --solr"), run.toString());
  }

  /** A port that nothing listens on (bound, then released). */
  static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
