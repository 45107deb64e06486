package dev.clipsearch.indexer.solr;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

/** Ports and the solr-local runtime for tests that start real Solr processes. */
public final class SolrTestSupport {

  private SolrTestSupport() {}

  /**
   * The built solr-local runtime of this checkout ({@code clipsearch.root} is set by the build).
   */
  public static Path runtime() {
    String root = System.getProperty("clipsearch.root");
    if (root == null) {
      throw new IllegalStateException("system property clipsearch.root is not set (run via Maven)");
    }
    return Path.of(root, "solr-local", "target");
  }

  /**
   * A first port P such that P..P+count-1 and P+count (for ZooKeeper) are free right now, chosen at
   * random in 20000..59999 so that parallel builds rarely meet.
   */
  public static int freePortRange(int count) {
    Random random = new Random();
    for (int attempt = 0; attempt < 200; attempt++) {
      int base = 20000 + random.nextInt(40000 - count - 1);
      boolean free = true;
      for (int p = base; p <= base + count && free; p++) {
        free = isFree(p);
      }
      if (free) {
        return base;
      }
    }
    throw new IllegalStateException("no free range of " + (count + 1) + " ports found");
  }

  static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Starts a local cluster of {@code nodes} nodes in {@code dir} on free ports. Other builds on the
   * machine may take a port between the check and the bind, so a start that fails is tried again
   * (up to three times) on other ports, each attempt in a folder of its own.
   */
  public static LocalSolrCloud start(int nodes, Path dir) throws LocalSolrCloudException {
    LocalSolrCloudException failure = null;
    for (int attempt = 1; attempt <= 3; attempt++) {
      int base = freePortRange(nodes);
      Path where = attempt == 1 ? dir : dir.resolveSibling(dir.getFileName() + "-" + attempt);
      try {
        return LocalSolrCloud.start(
            new LocalSolrCloud.Config(
                nodes, base, base + nodes, where, runtime(), Duration.ofSeconds(240), "384m"));
      } catch (LocalSolrCloudException e) {
        System.out.println("local SolrCloud attempt " + attempt + " failed: " + e.getMessage());
        if (failure != null) {
          e.addSuppressed(failure);
        }
        failure = e;
      }
    }
    throw failure;
  }
}
