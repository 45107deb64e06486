package dev.clipsearch.common.cli;

import java.io.Console;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Progress of a long task: a count (or bytes) against an optional total, with rate and ETA.
 *
 * <p>On a terminal it redraws one line in place ({@code \r}) at most every {@value #REDRAW_MILLIS}
 * ms: a bar, the percentage, done/total, the rate and the ETA. Elsewhere (a log file, CI, {@code
 * --no-progress}) it prints the same numbers as a plain line every few seconds. {@link #close()}
 * prints a one-line summary either way.
 *
 * <p>{@link #advance} may be called from any thread; drawing happens on the thread that advances
 * past the next drawing time, with no thread of its own. Rates and ETA use the average since the
 * bar started, counting only work done since then (a resumed download does not inflate its rate).
 */
public final class ProgressBar implements AutoCloseable {

  /** What is counted. */
  public enum Unit {
    /** Items (products, images): shown as {@code 1,234}. */
    ITEMS,
    /** Bytes: shown in decimal units ({@code 351.7 MB}). */
    BYTES
  }

  static final long REDRAW_MILLIS = 100;
  private static final int BAR_WIDTH = 24;

  private final String label;
  private final long total;
  private final Unit unit;
  private final boolean redraw;
  private final PrintWriter out;
  private final long intervalNanos;
  private final LongSupplier clock;
  private final long initial;
  private final long startNanos;
  private final AtomicLong done;
  private final ReentrantLock drawing = new ReentrantLock();
  private volatile long nextDrawNanos;
  private volatile boolean closed;
  private int lastLineLength;

  private ProgressBar(Builder b) {
    this.label = b.label;
    this.total = b.total;
    this.unit = b.unit;
    this.redraw = b.redraw;
    this.out = b.out;
    this.intervalNanos = redraw ? Duration.ofMillis(REDRAW_MILLIS).toNanos() : b.logEvery.toNanos();
    this.clock = b.clock;
    this.initial = b.initial;
    this.done = new AtomicLong(b.initial);
    this.startNanos = clock.getAsLong();
    this.nextDrawNanos = redraw ? startNanos : startNanos + intervalNanos;
  }

  /** Starts describing a bar labelled {@code label}. */
  public static Builder builder(String label) {
    return new Builder(label);
  }

  /**
   * Whether progress should be redrawn in place: a terminal is attached, the user did not turn it
   * off, and the environment is not CI or a dumb terminal.
   *
   * @param disabled the user's {@code --no-progress}
   * @param env the process environment (the caller passes {@code System.getenv()})
   * @param terminal whether the output is a terminal, see {@link #consoleIsTerminal()}
   */
  public static boolean shouldRedraw(boolean disabled, Map<String, String> env, boolean terminal) {
    String ci = env.getOrDefault("CI", "");
    boolean inCi = !ci.isBlank() && !ci.equalsIgnoreCase("false") && !ci.equals("0");
    return !disabled && terminal && !inCi && !"dumb".equals(env.get("TERM"));
  }

  /**
   * Whether this process talks to a terminal. Before JDK 22 that is {@code System.console() !=
   * null}; from JDK 22 on a console exists even when output is redirected, and {@code
   * Console.isTerminal()} (not in the Java 21 API this project compiles against) tells.
   */
  public static boolean consoleIsTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (NoSuchMethodException e) {
      return true; // JDK 21: a console means a terminal
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  /** Adds {@code count} to the work done; draws when the interval has passed. Thread-safe. */
  public void advance(long count) {
    done.addAndGet(count);
    if (closed) {
      return;
    }
    long now = clock.getAsLong();
    if (now - nextDrawNanos >= 0 && drawing.tryLock()) {
      try {
        if (!closed && now - nextDrawNanos >= 0) {
          nextDrawNanos = now + intervalNanos;
          draw(now);
        }
      } finally {
        drawing.unlock();
      }
    }
  }

  /** The work done so far, the initial amount included. */
  public long done() {
    return done.get();
  }

  /** Prints the summary line (once) and stops drawing. */
  @Override
  public void close() {
    drawing.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      String summary = summaryLine(clock.getAsLong());
      if (redraw) {
        out.print("\r" + pad(summary));
      } else {
        out.print(summary);
      }
      out.println();
      out.flush();
    } finally {
      drawing.unlock();
    }
  }

  private void draw(long now) {
    if (redraw) {
      out.print("\r" + pad(terminalLine(now)));
    } else {
      out.println(logLine(now));
    }
    out.flush();
  }

  private String pad(String line) {
    int previous = lastLineLength;
    lastLineLength = line.length();
    return line.length() >= previous ? line : line + " ".repeat(previous - line.length());
  }

  /**
   * The redrawn terminal line: {@code label [=====> ] 45% 158.2 MB/351.7 MB 12.3 MB/s ETA 0:16}.
   */
  String terminalLine(long now) {
    long d = done.get();
    double rate = rate(now);
    StringBuilder line = new StringBuilder(label);
    if (total > 0) {
      double fraction = Math.min(1.0, (double) d / total);
      line.append(' ').append(bar(fraction)).append(' ');
      line.append(String.format(Locale.ROOT, "%3d%%", (int) Math.floor(fraction * 100)));
      line.append("  ").append(amount(d)).append('/').append(amount(total));
    } else {
      line.append("  ").append(amount(d));
    }
    line.append("  ").append(rateText(rate));
    if (total > 0) {
      line.append("  ETA ").append(eta(d, rate));
    }
    return line.toString();
  }

  /** The periodic plain line: {@code label: 45% (158.2 MB of 351.7 MB), 12.3 MB/s, ETA 0:16}. */
  String logLine(long now) {
    long d = done.get();
    double rate = rate(now);
    if (total > 0) {
      int percent = (int) Math.floor(Math.min(1.0, (double) d / total) * 100);
      return String.format(
          Locale.ROOT,
          "%s: %d%% (%s of %s), %s, ETA %s",
          label,
          percent,
          amount(d),
          amount(total),
          rateText(rate),
          eta(d, rate));
    }
    return label + ": " + amount(d) + ", " + rateText(rate);
  }

  /** The closing line: {@code label: 351.7 MB in 0:28 (12.3 MB/s)}. */
  String summaryLine(long now) {
    long d = done.get();
    String amount = total > 0 && d != total ? amount(d) + " of " + amount(total) : amount(d);
    double seconds = (now - startNanos) / 1e9;
    return label
        + ": "
        + amount
        + " in "
        + formatElapsed(seconds)
        + " ("
        + rateText(rate(now))
        + ")";
  }

  /** Work per second since the start, the initial amount excluded; 0 before any time passed. */
  double rate(long now) {
    double seconds = (now - startNanos) / 1e9;
    return seconds <= 0 ? 0 : (done.get() - initial) / seconds;
  }

  /** Time left at {@code rate}, {@code --:--} when unknown. */
  static String eta(long done, long total, double rate) {
    if (rate <= 0 || total <= 0) {
      return "--:--";
    }
    return formatDuration(Math.ceil(Math.max(0, total - done) / rate));
  }

  private String eta(long d, double rate) {
    return eta(d, total, rate);
  }

  private String amount(long value) {
    return unit == Unit.BYTES ? formatBytes(value) : formatCount(value);
  }

  private String rateText(double rate) {
    if (unit == Unit.BYTES) {
      return formatBytes(Math.round(rate)) + "/s";
    }
    return String.format(Locale.ROOT, rate >= 100 ? "%.0f/s" : "%.1f/s", rate);
  }

  static String bar(double fraction) {
    int filled = (int) Math.floor(fraction * BAR_WIDTH);
    StringBuilder bar = new StringBuilder("[");
    for (int i = 0; i < BAR_WIDTH; i++) {
      bar.append(i < filled ? '=' : i == filled ? '>' : ' ');
    }
    return bar.append(']').toString();
  }

  /**
   * {@code 999 B}, {@code 1.5 kB}, {@code 351.7 MB}: decimal units, as Hugging Face shows sizes.
   */
  public static String formatBytes(long bytes) {
    if (bytes < 1000) {
      return bytes + " B";
    }
    String[] units = {"kB", "MB", "GB", "TB", "PB", "EB"};
    double value = bytes;
    int i = -1;
    while (value >= 999.95 && i < units.length - 1) {
      value /= 1000;
      i++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[i]);
  }

  /** {@code 1,234,567}. */
  public static String formatCount(long count) {
    return String.format(Locale.ROOT, "%,d", count);
  }

  /** {@code 0:07}, {@code 12:34}, {@code 1:02:03}; seconds are rounded up. */
  public static String formatDuration(double seconds) {
    long s = (long) Math.ceil(Math.max(0, seconds));
    long h = s / 3600;
    long m = (s % 3600) / 60;
    long sec = s % 60;
    return h > 0
        ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec)
        : String.format(Locale.ROOT, "%d:%02d", m, sec);
  }

  /** {@code 0.2 s}, {@code 9.9 s} under ten seconds; {@link #formatDuration} from there on. */
  public static String formatElapsed(double seconds) {
    return seconds < 9.95
        ? String.format(Locale.ROOT, "%.1f s", Math.max(0, seconds))
        : formatDuration(seconds);
  }

  /** Describes a {@link ProgressBar}. */
  public static final class Builder {
    private final String label;
    private long total = -1;
    private Unit unit = Unit.ITEMS;
    private boolean redraw;
    private PrintWriter out;
    private Duration logEvery = Duration.ofSeconds(10);
    private LongSupplier clock = System::nanoTime;
    private long initial;

    private Builder(String label) {
      this.label = Objects.requireNonNull(label, "label");
    }

    /** The amount at which the work is complete; unknown (no bar, no ETA) by default. */
    public Builder total(long total) {
      this.total = total;
      return this;
    }

    public Builder unit(Unit unit) {
      this.unit = Objects.requireNonNull(unit);
      return this;
    }

    /** Redraw one line in place (see {@link #shouldRedraw}); plain lines otherwise. */
    public Builder redraw(boolean redraw) {
      this.redraw = redraw;
      return this;
    }

    public Builder output(PrintWriter out) {
      this.out = Objects.requireNonNull(out);
      return this;
    }

    public Builder output(PrintStream out) {
      Charset charset = out.charset();
      this.out = new PrintWriter(new OutputStreamWriter(out, charset), false);
      return this;
    }

    /** How often a plain line is printed when not redrawing; 10 s by default. */
    public Builder logEvery(Duration interval) {
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("the log interval must be positive");
      }
      this.logEvery = interval;
      return this;
    }

    /** Work already done before this bar started (a resumed download); not counted in the rate. */
    public Builder initial(long initial) {
      this.initial = initial;
      return this;
    }

    /** The time source, in nanoseconds; {@code System::nanoTime} by default. */
    public Builder clock(LongSupplier nanoClock) {
      this.clock = Objects.requireNonNull(nanoClock);
      return this;
    }

    public ProgressBar start() {
      if (out == null) {
        output(System.err);
      }
      return new ProgressBar(this);
    }
  }
}
