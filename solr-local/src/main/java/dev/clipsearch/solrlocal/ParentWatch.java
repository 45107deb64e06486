package dev.clipsearch.solrlocal;

/**
 * Ends this process when the process that started it is gone (system property {@code
 * clipsearch.parent.pid}), so that a launcher or test JVM that crashes or is killed with SIGKILL
 * leaves no ZooKeeper or Solr node behind.
 */
final class ParentWatch {

  private ParentWatch() {}

  static void start() {
    String pid = System.getProperty("clipsearch.parent.pid");
    if (pid == null) {
      return;
    }
    ProcessHandle.of(Long.parseLong(pid))
        .ifPresentOrElse(
            parent ->
                parent
                    .onExit()
                    .thenRun(
                        () -> {
                          System.err.println("parent process " + pid + " is gone: exiting");
                          System.exit(0);
                        }),
            () -> System.exit(0));
  }
}
