package dev.clipsearch.models.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The JVMs (or other processes) a test started, so an {@code @AfterEach} can kill them, and their
 * children, by pid if the test ends before they do.
 */
public final class StartedProcesses {

  private final List<Process> started = new ArrayList<>();

  /** Remembers a started process and returns it. */
  public Process add(Process process) {
    started.add(process);
    return process;
  }

  /** Kills every remembered process and its descendants; fails if one outlives 30 seconds. */
  public void killAll() throws InterruptedException {
    for (Process process : started) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      assertTrue(process.waitFor(30, TimeUnit.SECONDS), "pid " + process.pid() + " did not die");
    }
  }
}
