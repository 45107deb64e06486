package dev.clipsearch.common.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Rendering, rate and ETA arithmetic, throttling; time comes from a hand-moved clock. */
class ProgressBarTest {

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final StringWriter text = new StringWriter();

  private ProgressBar.Builder bar(String label) {
    return ProgressBar.builder(label).clock(nanos::get).output(new PrintWriter(text));
  }

  private void at(double seconds) {
    nanos.set(1_000_000_000L + (long) (seconds * 1e9));
  }

  private static long count(String haystack, String needle) {
    return haystack.split(java.util.regex.Pattern.quote(needle), -1).length - 1L;
  }

  @Test
  void bytes_are_shown_in_decimal_units_like_hugging_face() {
    assertEquals("0 B", ProgressBar.formatBytes(0));
    assertEquals("999 B", ProgressBar.formatBytes(999));
    assertEquals("1.0 kB", ProgressBar.formatBytes(1_000));
    assertEquals("1.5 kB", ProgressBar.formatBytes(1_500));
    assertEquals("1.0 MB", ProgressBar.formatBytes(999_950));
    assertEquals("351.7 MB", ProgressBar.formatBytes(351_685_709));
    assertEquals("2.0 GB", ProgressBar.formatBytes(2_000_000_000L));
  }

  @Test
  void counts_and_durations_are_readable() {
    assertEquals("1,234,567", ProgressBar.formatCount(1_234_567));
    assertEquals("0:00", ProgressBar.formatDuration(0));
    assertEquals("0:08", ProgressBar.formatDuration(7.2));
    assertEquals("12:34", ProgressBar.formatDuration(754));
    assertEquals("1:02:03", ProgressBar.formatDuration(3723));
    assertEquals("0.2 s", ProgressBar.formatElapsed(0.2));
    assertEquals("9.9 s", ProgressBar.formatElapsed(9.9));
    assertEquals("0:10", ProgressBar.formatElapsed(9.96));
  }

  @Test
  void rate_is_work_per_second_and_eta_is_what_is_left_at_that_rate() {
    ProgressBar b = bar("file").total(1_000).unit(ProgressBar.Unit.BYTES).start();
    at(1);
    b.advance(250);

    long now = nanos.get();
    assertEquals(250.0, b.rate(now), 1e-9);
    assertEquals(
        "file [======>                 ]  25%  250 B/1.0 kB  250 B/s  ETA 0:03",
        b.terminalLine(now));
    assertEquals("file: 25% (250 B of 1.0 kB), 250 B/s, ETA 0:03", b.logLine(now));
  }

  @Test
  void a_resumed_transfer_counts_only_new_work_in_its_rate() {
    ProgressBar b = bar("file").total(1_000).unit(ProgressBar.Unit.BYTES).initial(600).start();
    at(2);
    b.advance(100);

    long now = nanos.get();
    assertEquals(50.0, b.rate(now), 1e-9, "600 bytes were already there");
    assertTrue(b.terminalLine(now).endsWith("ETA 0:06"), b.terminalLine(now));
    assertEquals("file: 700 B of 1.0 kB in 2.0 s (50 B/s)", b.summaryLine(now));
  }

  @Test
  void eta_is_unknown_before_any_progress() {
    assertEquals("--:--", ProgressBar.eta(0, 1_000, 0));
    assertEquals("--:--", ProgressBar.eta(10, -1, 5));
    assertEquals("0:00", ProgressBar.eta(1_000, 1_000, 5));
  }

  @Test
  void without_a_total_there_is_no_bar_percentage_or_eta() {
    ProgressBar b = bar("products").start();
    at(10);
    b.advance(1_234);

    long now = nanos.get();
    assertEquals("products  1,234  123/s", b.terminalLine(now));
    assertEquals("products: 1,234, 123/s", b.logLine(now));
  }

  @Test
  void on_a_terminal_the_line_is_redrawn_at_most_every_100_ms() {
    ProgressBar b = bar("file").total(100).redraw(true).start();
    b.advance(1); // first advance draws
    at(0.05);
    b.advance(1); // too soon
    at(0.15);
    b.advance(1); // draws again
    String drawn = text.toString();

    assertEquals(2, count(drawn, "\r"), drawn);
    assertEquals(0, count(drawn, "\n"), "redrawn lines are not new lines: " + drawn);

    at(0.2);
    b.close();
    String all = text.toString();
    assertEquals(3, count(all, "\r"));
    assertTrue(
        all.contains("\rfile: 3 of 100 in 0.2 s (15.0/s)   "), "summary replaces the bar: " + all);
    assertTrue(all.endsWith(System.lineSeparator()), all);
  }

  @Test
  void a_shorter_redraw_blanks_the_rest_of_the_previous_line() {
    ProgressBar b = bar("f").unit(ProgressBar.Unit.BYTES).redraw(true).start();
    at(0.1);
    b.advance(1_500_000); // 15.0 MB/s
    at(1000);
    b.advance(1); // 1.5 kB/s: a shorter line

    String[] draws = text.toString().split("\r", -1);
    assertEquals(3, draws.length, text.toString());
    assertTrue(draws[2].length() >= draws[1].length(), List.of(draws).toString());
    assertTrue(draws[2].endsWith(" "), "padded with blanks: [" + draws[2] + "]");
  }

  @Test
  void off_a_terminal_plain_lines_come_every_log_interval() {
    ProgressBar b = bar("file").total(1_000).logEvery(Duration.ofSeconds(10)).start();
    at(1);
    b.advance(100);
    assertEquals("", text.toString(), "nothing before the first interval");
    at(10);
    b.advance(400);
    at(12);
    b.advance(100);
    b.close();

    List<String> lines = text.toString().lines().toList();
    assertEquals(
        List.of(
            "file: 50% (500 of 1,000), 50.0/s, ETA 0:10", "file: 600 of 1,000 in 0:12 (50.0/s)"),
        lines);
    assertFalse(text.toString().contains("\r"));
  }

  @Test
  void close_prints_the_summary_once_and_stops_drawing() {
    ProgressBar b = bar("file").total(10).redraw(true).start();
    at(1);
    b.close();
    b.close();
    at(2);
    b.advance(5);

    assertEquals(1, count(text.toString(), "\n"), text.toString());
    assertEquals(5, b.done());
  }

  @Test
  void concurrent_advances_are_all_counted() throws InterruptedException {
    ProgressBar b =
        ProgressBar.builder("items")
            .total(80_000)
            .redraw(true)
            .output(new PrintWriter(new StringWriter()))
            .start();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int i = 0; i < 10_000; i++) {
                      b.advance(1);
                    }
                  }));
    }
    for (Thread thread : threads) {
      assertTrue(thread.join(Duration.ofSeconds(60)), "an advancing thread did not finish");
    }
    b.close();

    assertEquals(80_000, b.done());
  }

  @Test
  void redraw_only_on_a_terminal_outside_ci_unless_turned_off() {
    assertTrue(ProgressBar.shouldRedraw(false, Map.of(), true));
    assertFalse(ProgressBar.shouldRedraw(true, Map.of(), true), "--no-progress");
    assertFalse(ProgressBar.shouldRedraw(false, Map.of(), false), "not a terminal");
    assertFalse(ProgressBar.shouldRedraw(false, Map.of("CI", "true"), true), "CI");
    assertTrue(ProgressBar.shouldRedraw(false, Map.of("CI", "false"), true), "CI=false");
    assertFalse(ProgressBar.shouldRedraw(false, Map.of("TERM", "dumb"), true), "dumb terminal");
  }
}
