package dev.clipsearch.indexer.pipeline;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Accumulates the time spent per stage, summed over the threads of the stage. Thread-safe. */
final class StageClock {

  private final Map<Stage, LongAdder> nanos = new EnumMap<>(Stage.class);

  StageClock() {
    for (Stage stage : Stage.values()) {
      nanos.put(stage, new LongAdder());
    }
  }

  void add(Stage stage, long startNanos) {
    nanos.get(stage).add(System.nanoTime() - startNanos);
  }

  Map<Stage, Duration> snapshot() {
    Map<Stage, Duration> out = new EnumMap<>(Stage.class);
    nanos.forEach((stage, adder) -> out.put(stage, Duration.ofNanos(adder.sum())));
    return out;
  }
}
