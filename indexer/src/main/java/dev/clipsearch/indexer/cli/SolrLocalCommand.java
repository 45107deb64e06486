package dev.clipsearch.indexer.cli;

import dev.clipsearch.indexer.solr.LocalSolrCloud;
import dev.clipsearch.indexer.solr.LocalSolrCloudException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code clipsearch solr-local --nodes N --port P --dir DIR}: a local SolrCloud (one ZooKeeper
 * process, N Solr 9 node processes) for trying clipsearch on Solr. Prints one line per node, then
 * {@code ready}, and runs until Ctrl-C or SIGTERM, which stop every process it started.
 */
@Command(
    name = "solr-local",
    mixinStandardHelpOptions = true,
    description = {
      "Start a local SolrCloud: ZooKeeper and N Solr nodes, each a process of its own.",
      "Prints 'node K: URL pid PID' per node, then 'ready'; Ctrl-C or SIGTERM stops them all.",
      "For trying and testing only: in production run Solr's own distribution or operator."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "130:stopped by Ctrl-C, 143: by SIGTERM (every process it started stopped with it)",
      "1:could not start (port taken, node not up in time, runtime not built)",
      "2:usage error"
    })
public final class SolrLocalCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--nodes",
      paramLabel = "N",
      defaultValue = "1",
      description = "Solr nodes to start (default: ${DEFAULT-VALUE}).")
  int nodes;

  @Option(
      names = "--port",
      paramLabel = "P",
      defaultValue = "8983",
      description = "Node 1's port; node K listens on P+K-1 (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--zk-port",
      paramLabel = "PORT",
      description = "ZooKeeper's port (default: P+1000, as in Solr's own scripts).")
  Integer zkPort;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      defaultValue = ".clipsearch/solr-local",
      description = "Where nodes, ZooKeeper and logs keep their files (default: ${DEFAULT-VALUE}).")
  Path dir;

  @Option(
      names = "--heap",
      paramLabel = "SIZE",
      defaultValue = "512m",
      description = "Each node's Java heap (default: ${DEFAULT-VALUE}).")
  String heap;

  @Option(
      names = "--start-timeout",
      paramLabel = "SECONDS",
      defaultValue = "180",
      description = "How long to wait for every node to join (default: ${DEFAULT-VALUE}).")
  int startTimeoutSeconds;

  @Option(
      names = "--runtime",
      paramLabel = "DIR",
      description = "The built solr-local/target folder (default: found next to this program).")
  Path runtime;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path found = runtime != null ? runtime : defaultRuntime();
    if (found == null) {
      err.println(
          "clipsearch solr-local: cannot find the solr-local runtime (solr-local/target/"
              + "solr-local-lib) next to this program: build it with ./mvnw -pl solr-local package,"
              + " or give --runtime");
      return 1;
    }
    LocalSolrCloud cloud;
    try {
      cloud =
          LocalSolrCloud.start(
              new LocalSolrCloud.Config(
                  nodes,
                  port,
                  zkPort != null ? zkPort : port + 1000,
                  dir,
                  found,
                  Duration.ofSeconds(startTimeoutSeconds),
                  heap));
    } catch (IllegalArgumentException e) {
      err.println("clipsearch solr-local: " + e.getMessage());
      return 2;
    } catch (LocalSolrCloudException e) {
      err.println("clipsearch solr-local: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  cloud.close();
                  stopped.countDown();
                },
                "solr-local-shutdown"));
    for (LocalSolrCloud.Node n : cloud.nodes()) {
      out.println("node " + n.number() + ": " + n.baseUrl() + " pid " + n.pid());
    }
    out.println("ready");
    out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cloud.close();
    }
    return 0;
  }

  /** solr-local/target next to the folder this class was loaded from (a jar or classes/). */
  private static Path defaultRuntime() {
    try {
      Path here =
          Path.of(
              SolrLocalCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return LocalSolrCloud.findRuntime(here);
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      return null;
    }
  }
}
