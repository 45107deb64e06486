package dev.clipsearch.indexer.solr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Start-up failures of the local SolrCloud: each is a clear error, and nothing is left running. */
@Tag("solr")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LocalSolrCloudTest {

  @TempDir Path tmp;

  @Test
  void a_cluster_that_does_not_come_up_in_time_is_stopped_with_a_clear_error() {
    int base = SolrTestSupport.freePortRange(1);
    LocalSolrCloudException e =
        assertThrows(
            LocalSolrCloudException.class,
            () ->
                LocalSolrCloud.start(
                    new LocalSolrCloud.Config(
                        1,
                        base,
                        base + 1,
                        tmp,
                        SolrTestSupport.runtime(),
                        Duration.ofMillis(
                            1), // no JVM answers in 1 ms: deterministic, whatever the machine load
                        "256m")));
    assertTrue(e.getMessage().contains("within the start timeout"), e.getMessage());
    assertEquals(List.of(), solrLocalChildren(), "every started process was stopped");
  }

  @Test
  void a_taken_node_port_is_refused_before_anything_starts() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      int port = taken.getLocalPort();
      int zkPort = SolrTestSupport.freePortRange(1);
      LocalSolrCloudException e =
          assertThrows(
              LocalSolrCloudException.class,
              () ->
                  LocalSolrCloud.start(
                      new LocalSolrCloud.Config(
                          1,
                          port,
                          zkPort,
                          tmp,
                          SolrTestSupport.runtime(),
                          Duration.ofSeconds(60),
                          "256m")));
      assertTrue(
          e.getMessage().contains("port " + port + " (for node 1) is taken"), e.getMessage());
      assertEquals(List.of(), solrLocalChildren());
    }
  }

  @Test
  void a_missing_runtime_names_the_folder_and_how_to_build_it() {
    Path nowhere = tmp.resolve("no-runtime");
    LocalSolrCloudException e =
        assertThrows(
            LocalSolrCloudException.class,
            () ->
                LocalSolrCloud.start(
                    new LocalSolrCloud.Config(
                        1, 20000, 21000, tmp, nowhere, Duration.ofSeconds(60), "256m")));
    assertTrue(e.getMessage().contains(nowhere.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("-pl solr-local"), e.getMessage());
  }

  /** This JVM's child processes that run a solr-local main (ZooKeeper or a node). */
  private static List<Long> solrLocalChildren() {
    return ProcessHandle.current()
        .children()
        .filter(ProcessHandle::isAlive)
        .filter(
            p ->
                p.info().arguments().stream()
                    .flatMap(Arrays::stream)
                    .anyMatch(a -> a.startsWith("dev.clipsearch.solrlocal.")))
        .map(ProcessHandle::pid)
        .toList();
  }
}
