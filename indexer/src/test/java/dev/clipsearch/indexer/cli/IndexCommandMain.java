package dev.clipsearch.indexer.cli;

import picocli.CommandLine;

/** {@code clipsearch index} alone in a JVM of its own, for tests that kill it by pid. */
public final class IndexCommandMain {

  private IndexCommandMain() {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new IndexCommand()).execute(args));
  }
}
