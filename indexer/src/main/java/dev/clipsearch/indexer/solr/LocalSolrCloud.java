package dev.clipsearch.indexer.solr;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A local SolrCloud for trying clipsearch on Solr and for tests: one ZooKeeper process and N Solr 9
 * node processes on 127.0.0.1, each a JVM of its own (so that one can be killed by pid), started
 * from the {@code solr-local} module's build output: its classes and {@code solr-local-lib/}, the
 * class path Maven copies there. That class path (Solr 9 on Lucene 9) is never loaded into
 * clipsearch's own JVM, which runs Lucene 10.
 *
 * <p>Node K listens on {@code firstPort + K - 1}; ZooKeeper on {@code zkPort}. Each node's home is
 * {@code DIR/nodeK}, ZooKeeper's data {@code DIR/zookeeper}, and every process writes its output to
 * {@code DIR/logs/}. Children are told the parent's pid and exit when it is gone, so a crashed
 * parent leaves no nodes behind. {@link #close()} stops the nodes (SIGTERM, then SIGKILL after a
 * grace period), then ZooKeeper.
 */
public final class LocalSolrCloud implements AutoCloseable {

  /**
   * How to start the cluster.
   *
   * @param nodes how many Solr nodes (1..16)
   * @param firstPort node 1's port; node K gets firstPort + K - 1
   * @param zkPort ZooKeeper's client port
   * @param dir where nodes, ZooKeeper and logs keep their files
   * @param runtime the {@code solr-local/target} folder (classes and solr-local-lib)
   * @param startTimeout how long to wait for every node to join the cluster
   * @param nodeHeap each node's -Xmx, e.g. {@code 512m}
   */
  public record Config(
      int nodes,
      int firstPort,
      int zkPort,
      Path dir,
      Path runtime,
      Duration startTimeout,
      String nodeHeap) {

    public Config {
      if (nodes < 1 || nodes > 16) {
        throw new IllegalArgumentException("--nodes must be in 1..16, got " + nodes);
      }
      if (firstPort < 1 || firstPort + nodes - 1 > 65535) {
        throw new IllegalArgumentException(
            "--port " + firstPort + " with " + nodes + " nodes leaves the port range 1..65535");
      }
      if (zkPort < 1 || zkPort > 65535) {
        throw new IllegalArgumentException("ZooKeeper port must be in 1..65535, got " + zkPort);
      }
      if (zkPort >= firstPort && zkPort < firstPort + nodes) {
        throw new IllegalArgumentException(
            "ZooKeeper port " + zkPort + " is one of the nodes' ports");
      }
    }
  }

  /** One running node: its number (1-based), port, base URL and process. */
  public record Node(int number, int port, URI baseUrl, Process process) {
    public long pid() {
      return process.pid();
    }
  }

  private static final Duration STOP_GRACE = Duration.ofSeconds(20);

  private final Config config;
  private final Process zookeeper;
  private final List<Node> nodes;

  private LocalSolrCloud(Config config, Process zookeeper, List<Node> nodes) {
    this.config = config;
    this.zookeeper = zookeeper;
    this.nodes = nodes;
  }

  /**
   * Starts ZooKeeper and the nodes and waits until every node is live in the cluster.
   *
   * @throws LocalSolrCloudException when a port is taken, the runtime is not built, a process dies
   *     or the nodes do not come up in time; whatever was started is stopped again
   */
  public static LocalSolrCloud start(Config config) throws LocalSolrCloudException {
    checkRuntime(config.runtime());
    checkPortFree(config.zkPort(), "ZooKeeper");
    for (int k = 1; k <= config.nodes(); k++) {
      checkPortFree(config.firstPort() + k - 1, "node " + k);
    }
    Path logs = config.dir().resolve("logs");
    try {
      Files.createDirectories(logs);
    } catch (IOException e) {
      throw new LocalSolrCloudException("cannot create " + logs + ": " + e.getMessage(), e);
    }
    long deadline = System.nanoTime() + config.startTimeout().toNanos();
    Process zk =
        spawn(
            config,
            "256m",
            "dev.clipsearch.solrlocal.ZooKeeperMain",
            List.of(
                Integer.toString(config.zkPort()),
                config.dir().resolve("zookeeper").toAbsolutePath().toString()),
            logs.resolve("zookeeper.log"));
    List<Node> nodes = new ArrayList<>();
    LocalSolrCloud cloud = new LocalSolrCloud(config, zk, nodes);
    try {
      waitForPort(zk, "ZooKeeper", config.zkPort(), logs.resolve("zookeeper.log"), deadline);
      String zkHost = "127.0.0.1:" + config.zkPort();
      for (int k = 1; k <= config.nodes(); k++) {
        int port = config.firstPort() + k - 1;
        Process p =
            spawn(
                config,
                config.nodeHeap(),
                "dev.clipsearch.solrlocal.SolrNodeMain",
                List.of(
                    config.dir().resolve("node" + k).toAbsolutePath().toString(),
                    Integer.toString(port),
                    zkHost),
                logs.resolve("node" + k + ".log"));
        Node node = new Node(k, port, URI.create("http://127.0.0.1:" + port + "/solr"), p);
        nodes.add(node);
      }
      cloud.waitForLiveNodes(deadline);
      return cloud;
    } catch (LocalSolrCloudException | RuntimeException e) {
      cloud.close();
      throw e;
    }
  }

  public List<Node> nodes() {
    return Collections.unmodifiableList(nodes);
  }

  /** The nodes' base URLs, comma-separated: a value for {@code --solr}. */
  public String solrUrls() {
    return String.join(",", nodes.stream().map(n -> n.baseUrl().toString()).toList());
  }

  public String zkHost() {
    return "127.0.0.1:" + config.zkPort();
  }

  public long zookeeperPid() {
    return zookeeper.pid();
  }

  private void waitForLiveNodes(long deadline) throws LocalSolrCloudException {
    Path logs = config.dir().resolve("logs");
    SolrNodes urls = SolrNodes.parse(solrUrls());
    try (SolrCloudClient client =
        new SolrCloudClient(urls, Duration.ofSeconds(2), Duration.ofSeconds(10))) {
      while (true) {
        for (Node n : nodes) {
          if (!n.process().isAlive()) {
            throw new LocalSolrCloudException(
                "node "
                    + n.number()
                    + " (port "
                    + n.port()
                    + ") exited with status "
                    + n.process().exitValue()
                    + " while starting; its log "
                    + logs.resolve("node" + n.number() + ".log")
                    + " ends with:\n"
                    + tail(logs.resolve("node" + n.number() + ".log")));
          }
        }
        try {
          if (client.liveNodes().size() >= nodes.size()) {
            return;
          }
        } catch (SolrException e) {
          // not up yet
        }
        if (System.nanoTime() > deadline) {
          throw new LocalSolrCloudException(
              "the Solr nodes did not all join the cluster within the start timeout ("
                  + config.startTimeout().toSeconds()
                  + " s; see the logs in "
                  + logs
                  + ")");
        }
        sleep(500);
      }
    }
  }

  private static void waitForPort(Process p, String what, int port, Path log, long deadline)
      throws LocalSolrCloudException {
    while (true) {
      if (!p.isAlive()) {
        throw new LocalSolrCloudException(
            what + " exited with status " + p.exitValue() + " while starting:\n" + tail(log));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
        return;
      } catch (IOException e) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        throw new LocalSolrCloudException(
            what
                + " did not listen on port "
                + port
                + " within the start timeout (see "
                + log
                + ")");
      }
      sleep(200);
    }
  }

  private static Process spawn(
      Config config, String heap, String mainClass, List<String> args, Path log)
      throws LocalSolrCloudException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path runtime = config.runtime().toAbsolutePath();
    String classPath =
        runtime.resolve("classes") + File.pathSeparator + runtime.resolve("solr-local-lib") + "/*";
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.add("-Xmx" + heap);
    command.add("-XX:+UseSerialGC");
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-Dclipsearch.parent.pid=" + ProcessHandle.current().pid());
    command.add("-cp");
    command.add(classPath);
    command.add(mainClass);
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.redirectInput(ProcessBuilder.Redirect.PIPE);
    try {
      return pb.start();
    } catch (IOException e) {
      throw new LocalSolrCloudException("cannot start " + java + ": " + e.getMessage(), e);
    }
  }

  private static void checkRuntime(Path runtime) throws LocalSolrCloudException {
    if (!Files.isDirectory(runtime.resolve("solr-local-lib"))
        || !Files.isDirectory(runtime.resolve("classes/dev/clipsearch/solrlocal"))) {
      throw new LocalSolrCloudException(
          "the solr-local runtime is not built at "
              + runtime
              + " (expected classes/ and solr-local-lib/): build it with"
              + " ./mvnw -pl solr-local package");
    }
  }

  private static void checkPortFree(int port, String who) throws LocalSolrCloudException {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
    } catch (IOException e) {
      throw new LocalSolrCloudException(
          "port "
              + port
              + " (for "
              + who
              + ") is taken: stop what uses it or choose another --port",
          e);
    }
  }

  /**
   * Stops every node (SIGTERM; SIGKILL for a node still running after a grace period), then
   * ZooKeeper, waiting for each to exit. Safe to call more than once.
   */
  @Override
  public void close() {
    for (Node n : nodes) {
      n.process().destroy();
    }
    for (Node n : nodes) {
      stop(n.process());
    }
    zookeeper.destroy();
    stop(zookeeper);
  }

  private static void stop(Process p) {
    try {
      if (!p.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  private static void sleep(long millis) throws LocalSolrCloudException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalSolrCloudException("interrupted while starting the local SolrCloud", e);
    }
  }

  /** Finds {@code solr-local/target} in {@code start} or one of its parents, or null. */
  public static Path findRuntime(Path start) {
    for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("solr-local").resolve("target");
      if (Files.isDirectory(candidate.resolve("solr-local-lib"))) {
        return candidate;
      }
    }
    return null;
  }
}
