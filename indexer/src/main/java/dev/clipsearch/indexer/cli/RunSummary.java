package dev.clipsearch.indexer.cli;

import dev.clipsearch.common.cli.ProgressBar;
import dev.clipsearch.indexer.pipeline.IndexingResult;
import dev.clipsearch.indexer.pipeline.Stage;
import dev.clipsearch.indexer.report.FailureReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The end-of-run summary {@code clipsearch index} prints: counts, failures by reason, time split.
 */
final class RunSummary {

  private RunSummary() {}

  static List<String> lines(IndexingResult r) {
    IndexingResult.Counts c = r.counts();
    IndexingResult.Images images = r.images();
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            "%s: %s catalog entries in %s (%.1f/s): %s added, %s updated, %s unchanged, %s"
                + " skipped%s%s",
            switch (r.outcome()) {
              case COMPLETE -> "done";
              case STOPPED -> "stopped early (" + r.notes().stopReason() + ")";
              case CATALOG_INCOMPLETE ->
                  "catalog not read to the end (" + r.notes().catalogError() + ")";
            },
            count(c.entries()),
            ProgressBar.formatElapsed(r.timings().wall().toMillis() / 1e3),
            r.entriesPerSecond(),
            count(c.added()),
            count(c.updated()),
            count(c.unchanged()),
            count(c.failed()),
            c.partial() > 0 ? ", " + count(c.partial()) + " indexed without some images" : "",
            c.pruned() > 0 ? ", " + count(c.pruned()) + " pruned" : ""));
    if (c.outsidePartition() > 0) {
      lines.add(
          count(c.outsidePartition())
              + " catalog entries are in other partitions: left to their runs");
    }
    if (r.notes().pruneSkipped() != null) {
      lines.add("--prune skipped: " + r.notes().pruneSkipped());
    }
    lines.add(
        "images: "
            + count(images.encoded())
            + " encoded, "
            + count(images.reused())
            + " reused from the index, "
            + count(images.failed())
            + " failed");
    if (!r.failures().products().isEmpty()) {
      lines.add("skipped products by reason:");
      tally(r.failures().products(), lines);
    }
    if (!r.failures().images().isEmpty()) {
      lines.add("failed images by reason:");
      tally(r.failures().images(), lines);
    }
    Map<Stage, Duration> t = r.timings().stages();
    lines.add(
        String.format(
            Locale.ROOT,
            "time split: decode %s (%d threads), encode %s, write %s, commit %s; fetch %s (%d"
                + " threads); the encoder waited %s for input",
            seconds(t.get(Stage.DECODE)),
            r.timings().decodeThreads(),
            seconds(t.get(Stage.ENCODE)),
            seconds(t.get(Stage.WRITE)),
            seconds(t.get(Stage.COMMIT)),
            seconds(t.get(Stage.FETCH)),
            r.timings().fetchThreads(),
            seconds(t.get(Stage.ENCODER_IDLE))));
    return lines;
  }

  private static void tally(Map<FailureReason, Long> counts, List<String> lines) {
    counts.entrySet().stream()
        .sorted(Map.Entry.<FailureReason, Long>comparingByValue().reversed())
        .forEach(
            e ->
                lines.add(
                    String.format(
                        Locale.ROOT,
                        "  %-20s %8s  (%s)",
                        e.getKey().code(),
                        count(e.getValue()),
                        e.getKey().description())));
  }

  private static String count(long n) {
    return ProgressBar.formatCount(n);
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d == null ? 0 : d.toMillis() / 1e3);
  }
}
