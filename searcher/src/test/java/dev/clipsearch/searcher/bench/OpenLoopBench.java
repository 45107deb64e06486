package dev.clipsearch.searcher.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop load generator: requests leave at a fixed arrival rate whatever the server's speed,
 * and each latency runs from the request's <em>scheduled</em> send time, not from when it was
 * actually sent, so that time a request spends queued (in the generator, the kernel or the server)
 * is counted rather than hidden (the "coordinated omission" a closed-loop client suffers: a slow
 * answer there delays the next request, so the backlog it would have met is never measured).
 *
 * <p>For each rate: {@code --warmup} seconds at that rate (not recorded), then {@code --seconds}
 * recorded; requests still unanswered {@code --timeout} seconds after the last one was due count as
 * errors. The generator never waits for an answer before sending the next request: by default
 * requests go through {@link NioHttpLoad} (one thread, pre-encoded requests, keep-alive
 * connections; {@code --connections} caps them), with {@code --client jdk} through the JDK {@link
 * HttpClient}'s asynchronous API on virtual threads, which costs about 3 times more CPU per request
 * on the cores it shares with the server. Prints rate offered, rate achieved (answers per second
 * over the recorded window), p50/p90/p99/max from the scheduled time, errors, the cores the
 * generator and (with {@code --server-pid}) the server kept busy, and the server's CPU milliseconds
 * per answered request and per request sent (a measure of its cost that holds up on a machine
 * shared with other work, where the rates do not), the generator's CPU milliseconds per request
 * sent, and the machine's load average at the end of the window.
 *
 * <pre>
 * OpenLoopBench --url http://127.0.0.1:PORT [--server-pid PID] [--n 100000]
 *     [--rate 500,1000,1500,2000] [--seconds 20] [--warmup 5] [--timeout 10]
 *     [--type text|text-nofacets|hybrid|filtered|similar] [--client nio|jdk] [--connections 2000]
 * </pre>
 *
 * See {@code searcher/bench/load-bench.sh --open-loop}, which starts the server as a separate
 * process ({@link LoadBench} with {@code --port-file}) and then this generator.
 */
public final class OpenLoopBench {

  private static final long NO_ANSWER = NioHttpLoad.NO_ANSWER;
  private static final long ERROR = NioHttpLoad.ERROR;

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = BenchArgs.parse(args);
    String base = BenchArgs.required(opts, "url");
    int n = Integer.parseInt(opts.getOrDefault("n", "100000"));
    int seconds = Integer.parseInt(opts.getOrDefault("seconds", "20"));
    int warmup = Integer.parseInt(opts.getOrDefault("warmup", "5"));
    int timeout = Integer.parseInt(opts.getOrDefault("timeout", "10"));
    String type = opts.getOrDefault("type", "text");
    if (!List.of("text", "text-nofacets", "hybrid", "filtered", "similar").contains(type)) {
      throw new IllegalArgumentException(
          "--type must be text, text-nofacets, hybrid, filtered or similar, got '" + type + "'");
    }
    int[] rates =
        Arrays.stream(opts.getOrDefault("rate", "500,1000,1500,2000").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    for (int rate : rates) {
      if (rate < 1) {
        throw new IllegalArgumentException("--rate values must be positive, got " + rate);
      }
    }
    Optional<ProcessHandle> server =
        opts.containsKey("server-pid")
            ? ProcessHandle.of(Long.parseLong(opts.get("server-pid")))
            : Optional.empty();

    String clientName = opts.getOrDefault("client", "nio");
    int connections = Integer.parseInt(opts.getOrDefault("connections", "2000"));
    URI url = URI.create(base);
    Client client =
        switch (clientName) {
          case "nio" -> new NioClient(url, type, n, connections, timeout);
          case "jdk" -> new JdkClient(base, type, n, timeout);
          default ->
              throw new IllegalArgumentException(
                  "--client must be nio or jdk, got '" + clientName + "'");
        };
    System.out.printf(
        Locale.ROOT,
        "open loop: %s queries against %s (%s client), %d s per rate after %d s warm-up at that"
            + " rate, latency from the scheduled send time; %d cores on this machine, shared by"
            + " generator and server%n",
        type,
        base,
        clientName,
        seconds,
        warmup,
        Runtime.getRuntime().availableProcessors());
    System.out.printf(
        Locale.ROOT,
        "%8s %9s %9s %8s %8s %8s %8s %7s %9s %9s %10s %10s %9s %s%n",
        "offered",
        "achieved",
        "requests",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "max ms",
        "errors",
        "gen cores",
        "srv cores",
        "srv ms/ok",
        "srv ms/req",
        "gen ms/req",
        "load average");
    try {
      for (int rate : rates) {
        client.prepare(rate, warmup, new SplittableRandom(rate)).call();
        Callable<Window> recorded = client.prepare(rate, seconds, new SplittableRandom(~rate));
        long genCpu = processCpuNanos();
        long srvCpu = server.map(OpenLoopBench::cpuNanos).orElse(0L);
        long wallStart = System.nanoTime();
        Window w = recorded.call();
        double wall = (System.nanoTime() - wallStart) / 1e9;
        double genCores = (processCpuNanos() - genCpu) / 1e9 / wall;
        double srvSeconds = server.map(p -> (cpuNanos(p) - srvCpu) / 1e9).orElse(Double.NaN);
        double genSeconds = (processCpuNanos() - genCpu) / 1e9;
        String srvCores = String.format(Locale.ROOT, "%.2f", srvSeconds / wall);
        String srvPerAnswer =
            String.format(
                Locale.ROOT, "%.2f", srvSeconds * 1e3 / Math.max(1, w.sortedMillis().length));
        String srvPerRequest =
            String.format(Locale.ROOT, "%.2f", srvSeconds * 1e3 / Math.max(1, count(w)));
        System.out.printf(
            Locale.ROOT,
            "%8d %9.1f %9d %8.2f %8.2f %8.2f %8.2f %7d %9.2f %9s %10s %10s %9.2f %s%n",
            rate,
            w.achieved(),
            w.sortedMillis().length,
            w.percentile(0.50),
            w.percentile(0.90),
            w.percentile(0.99),
            w.percentile(1.0),
            w.errors(),
            genCores,
            srvCores,
            srvPerAnswer,
            srvPerRequest,
            genSeconds * 1e3 / Math.max(1, count(w)),
            loadAverage());
        if (!w.errorReasons().isEmpty()) {
          System.out.printf(Locale.ROOT, "         errors by reason: %s%n", w.errorReasons());
        }
      }
    } finally {
      client.close();
    }
  }

  /**
   * The answered requests' latencies (sorted, from the scheduled time), errors (non-200, failures,
   * no answer within the timeout) and answers per second over the window.
   */
  record Window(
      double[] sortedMillis, long errors, double achieved, Map<String, Integer> errorReasons) {
    double percentile(double p) {
      if (sortedMillis.length == 0) {
        return Double.NaN;
      }
      int at = (int) Math.ceil(p * sortedMillis.length) - 1;
      return sortedMillis[Math.max(0, Math.min(sortedMillis.length - 1, at))];
    }
  }

  /** A way of sending the requests of a window. */
  private interface Client extends AutoCloseable {
    /**
     * Builds the {@code rate * seconds} requests of one window now, so that building neither delays
     * a send nor counts in the generator's CPU time while the window runs; the task sends them, the
     * i-th due at {@code start + i / rate}.
     */
    Callable<Window> prepare(int rate, int seconds, SplittableRandom random);

    @Override
    void close() throws Exception;
  }

  /** {@link NioHttpLoad}: one thread, requests pre-encoded as bytes. */
  private static final class NioClient implements Client {
    private final URI url;
    private final String type;
    private final int n;
    private final int timeout;
    private final NioHttpLoad load;

    NioClient(URI url, String type, int n, int connections, int timeout) throws IOException {
      this.url = url;
      this.type = type;
      this.n = n;
      this.timeout = timeout;
      this.load = new NioHttpLoad(new InetSocketAddress(url.getHost(), url.getPort()), connections);
    }

    @Override
    public Callable<Window> prepare(int rate, int seconds, SplittableRandom random) {
      byte[][] requests = new byte[(int) ((long) rate * seconds)][];
      for (int i = 0; i < requests.length; i++) {
        requests[i] =
            NioHttpLoad.get(url.getHost(), url.getPort(), LoadBench.path(type, random, n));
      }
      return () -> {
        NioHttpLoad.Result r = load.run(requests, rate, timeout);
        return window(r.nanos(), r.reasons(), r.start(), r.lastAnswer());
      };
    }

    @Override
    public void close() throws IOException {
      load.close();
    }
  }

  /**
   * The JDK {@link HttpClient}'s asynchronous API on virtual threads, HTTP/1.1: the generator of
   * the first open-loop runs, kept to compare with.
   */
  private static final class JdkClient implements Client {
    private final String base;
    private final String type;
    private final int n;
    private final int timeout;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client;

    JdkClient(String base, String type, int n, int timeout) {
      this.base = base;
      this.type = type;
      this.n = n;
      this.timeout = timeout;
      this.client =
          HttpClient.newBuilder()
              .executor(threads)
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(10))
              .build();
    }

    @Override
    public Callable<Window> prepare(int rate, int seconds, SplittableRandom random) {
      HttpRequest[] requests = new HttpRequest[(int) ((long) rate * seconds)];
      for (int i = 0; i < requests.length; i++) {
        requests[i] = LoadBench.request(base, type, random, n, null);
      }
      return () -> run(requests, rate);
    }

    private Window run(HttpRequest[] requests, int rate) throws Exception {
      int count = requests.length;
      double interval = 1e9 / rate;
      // From the due time to the answer; ERROR for a failure, NO_ANSWER until the answer comes.
      AtomicLongArray nanos = new AtomicLongArray(count);
      for (int i = 0; i < count; i++) {
        nanos.set(i, NO_ANSWER);
      }
      Map<String, Integer> reasons = new ConcurrentHashMap<>();
      AtomicLong lastAnswer = new AtomicLong();
      CompletableFuture<?>[] pending = new CompletableFuture<?>[count];
      long start = System.nanoTime() + 10_000_000L; // 10 ms to get going
      for (int i = 0; i < count; i++) {
        HttpRequest request = requests[i];
        requests[i] = null;
        long due = start + (long) (i * interval);
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
          LockSupport.parkNanos(wait);
        }
        int slot = i;
        pending[i] =
            client
                .sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .handle(
                    (response, failure) -> {
                      long now = System.nanoTime();
                      boolean ok = failure == null && response.statusCode() == 200;
                      if (nanos.compareAndSet(slot, NO_ANSWER, ok ? now - due : ERROR) && !ok) {
                        reasons.merge(
                            failure != null ? reason(failure) : "HTTP " + response.statusCode(),
                            1,
                            Integer::sum);
                      }
                      lastAnswer.accumulateAndGet(now, Math::max);
                      return null;
                    });
      }
      try {
        CompletableFuture.allOf(pending).get(timeout, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        for (int i = 0; i < count; i++) {
          if (nanos.compareAndSet(i, NO_ANSWER, ERROR)) {
            pending[i].cancel(true);
            reasons.merge("no answer within " + timeout + " s", 1, Integer::sum);
          }
        }
      }
      long[] values = new long[count];
      for (int i = 0; i < count; i++) {
        values[i] = nanos.get(i);
      }
      return window(values, reasons, start, lastAnswer.get());
    }

    @Override
    public void close() {
      threads.shutdownNow();
    }
  }

  /** The window's statistics from each request's latency (or {@code ERROR}). */
  private static Window window(
      long[] nanos, Map<String, Integer> reasons, long start, long lastAnswer) {
    long errors = 0;
    double[] millis = new double[nanos.length];
    int answered = 0;
    for (long value : nanos) {
      if (value == ERROR || value == NO_ANSWER) {
        errors++;
      } else {
        millis[answered++] = value / 1e6;
      }
    }
    double[] sorted = Arrays.copyOf(millis, answered);
    Arrays.sort(sorted);
    double window = Math.max(lastAnswer - start, 1) / 1e9;
    return new Window(sorted, errors, answered / window, new TreeMap<>(reasons));
  }

  /** A failure's innermost cause, named by its class (and message, e.g. "Connection reset"). */
  private static String reason(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getClass().getSimpleName()
        + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
  }

  /** The machine's 1, 5 and 15 minute load averages, or "?" where /proc/loadavg is missing. */
  private static String loadAverage() {
    try {
      String[] fields =
          java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (java.io.IOException | RuntimeException e) {
      return "?";
    }
  }

  private static long count(Window w) {
    return w.sortedMillis().length + w.errors();
  }

  /** CPU time of this process (the generator), in nanoseconds. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static long cpuNanos(ProcessHandle process) {
    return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  private OpenLoopBench() {}
}
