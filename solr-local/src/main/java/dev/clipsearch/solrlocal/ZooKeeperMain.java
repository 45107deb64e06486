package dev.clipsearch.solrlocal;

import org.apache.zookeeper.server.ZooKeeperServerMain;

/**
 * A single ZooKeeper server for a local SolrCloud: {@code ZooKeeperMain PORT DATA_DIR}.
 *
 * <p>ZooKeeper's own standalone server, with its admin HTTP server (port 8080 by default) turned
 * off so that it cannot collide with anything else on the machine.
 */
public final class ZooKeeperMain {

  private ZooKeeperMain() {}

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: ZooKeeperMain PORT DATA_DIR");
      System.exit(2);
    }
    ParentWatch.start();
    System.setProperty("zookeeper.admin.enableServer", "false");
    System.setProperty("zookeeper.4lw.commands.whitelist", "ruok,srvr");
    ZooKeeperServerMain.main(new String[] {args[0], args[1]});
  }
}
