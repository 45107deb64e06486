package dev.clipsearch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.indexer.solr.SolrCloudClient;
import dev.clipsearch.indexer.solr.SolrNodes;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code clipsearch solr-local} as a user runs it: a launcher JVM that starts ZooKeeper and a Solr
 * node as processes of their own, prints the node line and {@code ready}, and stops them all on
 * SIGTERM.
 */
@Tag("solr")
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class SolrLocalCommandTest {

  private static final Pattern NODE_LINE =
      Pattern.compile("node 1: http://127\\.0\\.0\\.1:(\\d+)/solr pid (\\d+)");

  @TempDir Path tmp;

  @Test
  void prints_the_node_and_ready_then_stops_every_process_on_sigterm() throws Exception {
    int port = freePort();
    int zkPort = freePort();
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            classPath,
            Main.class.getName(),
            "solr-local",
            "--nodes",
            "1",
            "--port",
            Integer.toString(port),
            "--zk-port",
            Integer.toString(zkPort),
            "--heap",
            "384m",
            "--dir",
            tmp.resolve("solr").toString());
    pb.redirectError(tmp.resolve("launcher.err").toFile());
    Process launcher = pb.start();
    long nodePid = -1;
    try {
      List<String> lines = new ArrayList<>();
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          lines.add(line);
          if (line.equals("ready")) {
            break;
          }
        }
      }
      assertEquals(2, lines.size(), "stdout: " + lines);
      Matcher m = NODE_LINE.matcher(lines.get(0));
      assertTrue(m.matches(), lines.get(0));
      assertEquals(port, Integer.parseInt(m.group(1)));
      nodePid = Long.parseLong(m.group(2));
      ProcessHandle node = ProcessHandle.of(nodePid).orElse(null);
      assertNotNull(node, "node process " + nodePid + " is running");
      assertEquals(launcher.pid(), node.parent().map(ProcessHandle::pid).orElse(-1L));
      try (SolrCloudClient client =
          new SolrCloudClient(SolrNodes.parse("http://127.0.0.1:" + port + "/solr"))) {
        assertEquals(List.of("127.0.0.1:" + port + "_solr"), client.liveNodes());
      }

      launcher.destroy(); // SIGTERM: the shutdown hook stops the node and ZooKeeper
      assertTrue(launcher.waitFor(90, TimeUnit.SECONDS), "launcher exits after SIGTERM");
      assertTrue(node.onExit().get(30, TimeUnit.SECONDS) != null);
      assertFalse(node.isAlive(), "node stopped with the launcher");
      assertTrue(isFree(port) && isFree(zkPort), "ports released");
    } finally {
      launcher.destroyForcibly();
      if (nodePid > 0) {
        ProcessHandle.of(nodePid).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  @Test
  void a_taken_port_is_refused_naming_the_port() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      int port = taken.getLocalPort();
      StringWriter err = new StringWriter();
      CommandLine cli = Main.commandLine();
      cli.setErr(new PrintWriter(err));
      int code =
          cli.execute(
              "solr-local",
              "--port",
              Integer.toString(port),
              "--zk-port",
              Integer.toString(freePort()),
              "--dir",
              tmp.resolve("solr").toString());
      assertEquals(1, code, err.toString());
      assertTrue(
          err.toString().contains("port " + port + " (for node 1) is taken"), err.toString());
    }
  }

  private static int freePort() {
    Random random = new Random();
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = 20000 + random.nextInt(40000);
      if (isFree(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port found");
  }

  private static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
