package dev.clipsearch.solrlocal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * One SolrCloud node in a JVM of its own: {@code SolrNodeMain SOLR_HOME PORT ZK_HOST}.
 *
 * <p>Runs Solr's {@link JettySolrRunner} (the embedded Jetty that Solr's own tests use) on
 * 127.0.0.1:PORT under {@code /solr}, joined to the ZooKeeper ensemble ZK_HOST, so that a node can
 * be started and killed by pid without Solr's distribution. Writes a cloud {@code solr.xml} into
 * SOLR_HOME when it has none. Prints {@code started PORT} once Jetty serves, then runs until the
 * process is ended (SIGTERM stops Jetty through a shutdown hook; SIGKILL is a crash).
 */
public final class SolrNodeMain {

  /** The cloud solr.xml of a local node; the values in ${} come from the node's properties. */
  static final String SOLR_XML =
      """
      <?xml version="1.0" encoding="UTF-8" ?>
      <solr>
        <str name="allowPaths">${solr.allowPaths:}</str>
        <shardHandlerFactory name="shardHandlerFactory" class="HttpShardHandlerFactory">
          <int name="socketTimeout">${socketTimeout:90000}</int>
          <int name="connTimeout">${connTimeout:15000}</int>
        </shardHandlerFactory>
        <solrcloud>
          <str name="host">127.0.0.1</str>
          <int name="hostPort">${hostPort:8983}</int>
          <str name="hostContext">${hostContext:solr}</str>
          <int name="zkClientTimeout">${solr.zkclienttimeout:30000}</int>
          <bool name="genericCoreNodeNames">true</bool>
          <int name="leaderVoteWait">${leaderVoteWait:10000}</int>
          <int name="distribUpdateConnTimeout">${distribUpdateConnTimeout:45000}</int>
          <int name="distribUpdateSoTimeout">${distribUpdateSoTimeout:340000}</int>
        </solrcloud>
        <metrics enabled="false"/>
      </solr>
      """;

  private SolrNodeMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: SolrNodeMain SOLR_HOME PORT ZK_HOST");
      System.exit(2);
    }
    ParentWatch.start();
    Path home = Path.of(args[0]).toAbsolutePath();
    int port = Integer.parseInt(args[1]);
    String zkHost = args[2];
    Files.createDirectories(home);
    Path solrXml = home.resolve("solr.xml");
    if (!Files.exists(solrXml)) {
      Files.writeString(solrXml, SOLR_XML, StandardCharsets.UTF_8);
    }
    // Solr reads these as system properties as well as node properties; one JVM is one node.
    System.setProperty("zkHost", zkHost);
    System.setProperty("hostPort", Integer.toString(port));
    System.setProperty("solr.solr.home", home.toString());
    System.setProperty("solr.log.dir", home.resolve("logs").toString());
    Properties nodeProperties = new Properties();
    nodeProperties.setProperty("zkHost", zkHost);
    nodeProperties.setProperty("hostPort", Integer.toString(port));
    JettyConfig config =
        JettyConfig.builder().setPort(port).setContext("/solr").stopAtShutdown(true).build();
    JettySolrRunner node = new JettySolrRunner(home.toString(), nodeProperties, config);
    node.start();
    System.out.println("started " + node.getLocalPort());
    System.out.flush();
    Thread.currentThread().join();
  }
}
