package dev.clipsearch.models.hub;

import dev.clipsearch.common.io.Digests;
import dev.clipsearch.common.net.RetryPolicy;
import dev.clipsearch.models.hub.ModelFetchException.Reason;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpTimeoutException;
import java.nio.channels.FileChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads one file of a model repository into a {@code .part} file and verifies it.
 *
 * <ul>
 *   <li>Redirects are followed by hand (up to {@value #MAX_REDIRECTS}), so the Hub's own answer is
 *       seen before the CDN's: its {@code X-Linked-Etag} (the LFS SHA-256), {@code X-Linked-Size}
 *       and {@code X-Repo-Commit}; the token is sent to the endpoint's origin only, and a redirect
 *       from https to http is refused.
 *   <li>A {@code .part} left by an earlier attempt is resumed with {@code Range: bytes=N-}; a 200
 *       answer restarts the file from byte 0, a 206 whose range does not start at N or a 416 that
 *       does not say the file is already complete discards it and starts again.
 *   <li>Connection failures, resets, timeouts, 408, 429 and 5xx are retried with {@link
 *       RetryPolicy}'s backoff ({@code Retry-After} honoured up to a minute); other answers fail at
 *       once.
 *   <li>The finished file must match the pinned size and SHA-256, else the Hub's LFS SHA-256, else
 *       the Hub's git blob id; a mismatch deletes the {@code .part} so the next run starts fresh.
 * </ul>
 */
final class FileDownloader {

  static final int MAX_REDIRECTS = 10;
  private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(1);
  private static final Pattern CONTENT_RANGE =
      Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)", Pattern.CASE_INSENSITIVE);
  private static final Pattern UNSATISFIED_RANGE =
      Pattern.compile("bytes\\s+\\*/(\\d+)", Pattern.CASE_INSENSITIVE);
  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern HEX40 = Pattern.compile("[0-9a-f]{40}");
  private static final Logger LOG = LoggerFactory.getLogger(FileDownloader.class);

  private final HttpClient client;
  private final HubConfig config;
  private final String userAgent;
  private final LongSupplier nanoClock = System::nanoTime;

  FileDownloader(HttpClient client, HubConfig config, String userAgent) {
    this.client = client;
    this.config = config;
    this.userAgent = userAgent;
  }

  /** A downloaded and verified file, still at its {@code .part} path. */
  record Downloaded(
      long size, String sha256, String verifiedBy, Optional<String> commit, long transferred) {}

  /** What the Hub said about a file in its first answer, before any redirect. */
  private record HubMetadata(
      Optional<String> lfsSha256,
      Optional<String> gitBlobSha1,
      OptionalLong size,
      Optional<String> commit) {

    static final HubMetadata NONE =
        new HubMetadata(Optional.empty(), Optional.empty(), OptionalLong.empty(), Optional.empty());

    static HubMetadata from(HttpHeaders headers) {
      Optional<String> linked = headers.firstValue("X-Linked-Etag").map(FileDownloader::bareEtag);
      Optional<String> etag = headers.firstValue("ETag").map(FileDownloader::bareEtag);
      Optional<String> sha256 =
          linked
              .filter(e -> HEX64.matcher(e).matches())
              .or(() -> etag.filter(e -> HEX64.matcher(e).matches()));
      Optional<String> sha1 =
          linked.isPresent() ? Optional.empty() : etag.filter(e -> HEX40.matcher(e).matches());
      OptionalLong size = OptionalLong.empty();
      Optional<String> linkedSize = headers.firstValue("X-Linked-Size");
      if (linkedSize.isPresent()) {
        try {
          size = OptionalLong.of(Long.parseLong(linkedSize.get().strip()));
        } catch (NumberFormatException ignored) {
          // an unparseable size is no size
        }
      }
      Optional<String> commit =
          headers.firstValue("X-Repo-Commit").map(String::strip).filter(c -> !c.isEmpty());
      return new HubMetadata(sha256, sha1, size, commit);
    }
  }

  /** A failed attempt that may succeed if tried again. */
  private static final class TransientFailure extends Exception {
    final Reason finalReason;
    final Optional<Duration> retryAfter;

    TransientFailure(Reason finalReason, String message, Optional<Duration> retryAfter) {
      super(message, null, false, false);
      this.finalReason = finalReason;
      this.retryAfter = retryAfter;
    }
  }

  /** The previous part cannot be resumed; start again from byte 0 (not counted as an attempt). */
  private static final class RestartFromZero extends Exception {
    RestartFromZero(String message) {
      super(message, null, false, false);
    }
  }

  /** Downloads {@code file} from {@code url} into {@code part}, resuming it if it exists. */
  Downloaded download(
      URI url, RemoteFile file, Path part, String repository, FetchListener listener)
      throws ModelFetchException {
    RetryPolicy retry = config.retry();
    AtomicLong transferred = new AtomicLong();
    HubMetadata metadata = HubMetadata.NONE;
    boolean restarted = false;
    int attempt = 1;
    while (true) {
      try {
        prepareResume(file, part);
        metadata = fetchOnce(url, file, part, repository, metadata, transferred, listener);
        return verify(file, part, metadata, transferred.get());
      } catch (RestartFromZero restart) {
        deleteQuietly(part);
        if (restarted) {
          throw new ModelFetchException(
              Reason.HTTP_STATUS, restart.getMessage() + ", even after starting again");
        }
        restarted = true;
        listener.restarting(file.path(), restart.getMessage());
      } catch (ModelFetchException e) {
        if (e.reason() == Reason.CORRUPT) {
          deleteQuietly(part); // never resume from bytes known to be wrong
        }
        throw e;
      } catch (TransientFailure failure) {
        if (attempt >= retry.maxAttempts()) {
          throw new ModelFetchException(
              failure.finalReason, failure.getMessage() + gaveUp(attempt) + resumeHint(part), null);
        }
        Duration wait =
            failure
                .retryAfter
                .filter(d -> d.compareTo(MAX_RETRY_AFTER) <= 0)
                .orElse(retry.backoffAfter(attempt));
        listener.retrying(file.path(), attempt, retry.maxAttempts(), wait, failure.getMessage());
        LOG.debug("{}: attempt {} failed ({}), retrying in {}", url, attempt, failure, wait);
        sleep(wait);
        attempt++;
      }
    }
  }

  private static String gaveUp(int attempts) {
    return attempts == 1 ? "" : " (gave up after " + attempts + " attempts)";
  }

  private static String resumeHint(Path part) {
    try {
      return Files.exists(part) && Files.size(part) > 0
          ? "; the partial download is kept and the next run resumes it"
          : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** Drops a part that is already longer than the pinned size: it cannot be a prefix. */
  private static void prepareResume(RemoteFile file, Path part) throws ModelFetchException {
    try {
      if (file.size().isPresent()
          && Files.exists(part)
          && Files.size(part) > file.size().getAsLong()) {
        Files.delete(part);
      }
    } catch (IOException e) {
      throw new ModelFetchException(
          Reason.LOCAL_IO, "cannot inspect partial download " + part + ": " + e.getMessage(), e);
    }
  }

  /** One attempt: follows redirects until the body is on disk (or was already complete). */
  private HubMetadata fetchOnce(
      URI url,
      RemoteFile file,
      Path part,
      String repository,
      HubMetadata known,
      AtomicLong transferred,
      FetchListener listener)
      throws TransientFailure, RestartFromZero, ModelFetchException {
    long have = sizeOrZero(part);
    if (have > 0 && file.size().isPresent() && have == file.size().getAsLong()) {
      return known; // complete from an earlier run; verification decides whether it is right
    }
    HubMetadata metadata = known;
    URI current = url;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      // The hub's own answers (before the redirect to a CDN, or a same-host redirect first)
      // carry the file's digests; a CDN's ETag is not one.
      boolean fromHub = sameOrigin(current, config.endpoint());
      BodyTarget target =
          new BodyTarget(file, part, have, fromHub, metadata, listener, transferred);
      HttpResponse<Void> response = send(request(current, have), target, current);
      HttpHeaders headers = response.headers();
      int status = response.statusCode();
      if (fromHub) {
        metadata = merge(metadata, HubMetadata.from(headers));
        checkPinAgainstHub(file, metadata, repository);
      }
      if (isRedirect(status)) {
        current = redirectTarget(current, headers, status);
        if (have > 0 && metadata.size().isPresent() && have == metadata.size().getAsLong()) {
          return metadata; // the part is already the whole file
        }
        continue;
      }
      if (status == 200 || status == 206) {
        target.awaitCompletion(current); // the body handler wrote it, or says why it could not
        return metadata;
      }
      if (status == 416) {
        long total =
            headers
                .firstValue("Content-Range")
                .map(UNSATISFIED_RANGE::matcher)
                .filter(Matcher::matches)
                .map(m -> Long.parseLong(m.group(1)))
                .orElse(-1L);
        if (total == have) {
          return metadata; // asked to resume past the end: the part is complete
        }
        throw new RestartFromZero(
            host(current) + " cannot resume " + file.path() + " at byte " + have + " (HTTP 416)");
      }
      throw propagate(statusFailure(status, headers, current, file, repository));
    }
    throw new ModelFetchException(
        Reason.HTTP_STATUS,
        "too many redirects (more than "
            + MAX_REDIRECTS
            + ") fetching "
            + file.path()
            + " from "
            + url);
  }

  /** What is already known wins: the first hub answer that names a digest is the authority. */
  private static HubMetadata merge(HubMetadata old, HubMetadata fresh) {
    return new HubMetadata(
        old.lfsSha256().or(fresh::lfsSha256),
        old.gitBlobSha1().or(fresh::gitBlobSha1),
        old.size().isPresent() ? old.size() : fresh.size(),
        old.commit().or(fresh::commit));
  }

  private static void checkPinAgainstHub(RemoteFile file, HubMetadata hub, String repository)
      throws ModelFetchException {
    if (file.sha256().isPresent()
        && hub.lfsSha256().isPresent()
        && !file.sha256().get().equals(hub.lfsSha256().get())) {
      throw new ModelFetchException(
          Reason.CORRUPT,
          "the hub reports SHA-256 "
              + hub.lfsSha256().get()
              + " for "
              + repository
              + "/"
              + file.path()
              + ", but clipsearch pins "
              + file.sha256().get()
              + "; refusing to download a file that is not the pinned one");
    }
  }

  private HttpRequest request(URI uri, long rangeStart) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri)
            .GET()
            .timeout(config.readTimeout())
            .header("User-Agent", userAgent)
            .header("Accept-Encoding", "identity");
    if (rangeStart > 0) {
      builder.header("Range", "bytes=" + rangeStart + "-");
    }
    if (config.token().isPresent() && sameOrigin(uri, config.endpoint())) {
      builder.header("Authorization", "Bearer " + config.token().get());
    }
    return builder.build();
  }

  static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getHost().equalsIgnoreCase(b.getHost())
        && port(a) == port(b);
  }

  private static int port(URI uri) {
    if (uri.getPort() != -1) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private static URI redirectTarget(URI from, HttpHeaders headers, int status)
      throws ModelFetchException {
    String location =
        headers
            .firstValue("Location")
            .orElseThrow(
                () ->
                    new ModelFetchException(
                        Reason.HTTP_STATUS,
                        host(from) + " answered HTTP " + status + " without a Location header"));
    URI next;
    try {
      next = from.resolve(location);
    } catch (IllegalArgumentException e) {
      throw new ModelFetchException(
          Reason.HTTP_STATUS, host(from) + " redirected to an invalid URL: " + location, e);
    }
    if (next.getScheme() == null
        || !(next.getScheme().equalsIgnoreCase("https")
            || next.getScheme().equalsIgnoreCase("http"))
        || next.getHost() == null) {
      throw new ModelFetchException(
          Reason.HTTP_STATUS, host(from) + " redirected to an unsupported URL: " + location);
    }
    if ("https".equalsIgnoreCase(from.getScheme()) && "http".equalsIgnoreCase(next.getScheme())) {
      throw new ModelFetchException(
          Reason.HTTP_STATUS,
          host(from) + " redirected from https to plain http; refusing " + next);
    }
    return next;
  }

  /** Sends one request and waits for it, aborting a body that stops arriving for too long. */
  private HttpResponse<Void> send(HttpRequest request, BodyTarget target, URI uri)
      throws TransientFailure, RestartFromZero, ModelFetchException {
    CompletableFuture<HttpResponse<Void>> future = client.sendAsync(request, target);
    long timeoutNanos = config.readTimeout().toNanos();
    long pollMillis = Math.max(20, Math.min(1000, config.readTimeout().toMillis() / 4));
    while (true) {
      try {
        return future.get(pollMillis, TimeUnit.MILLISECONDS);
      } catch (TimeoutException stillRunning) {
        FileBodySubscriber body = target.subscriber.get();
        if (body == null) {
          continue; // waiting for headers: bounded by the request's own timeout
        }
        if (body.done().isCompletedExceptionally()) {
          future.cancel(true);
          throw propagate(classify(body.done().exceptionNow(), uri, target.file));
        }
        if (body.idleNanos() > timeoutNanos) {
          body.abort(new HttpTimeoutException("idle"));
          future.cancel(true);
          throw new TransientFailure(
              Reason.TRANSFER_FAILED,
              "no data from "
                  + host(uri)
                  + " for "
                  + config.readTimeout().toSeconds()
                  + " s while downloading "
                  + target.file.path(),
              Optional.empty());
        }
      } catch (InterruptedException e) {
        FileBodySubscriber body = target.subscriber.get();
        if (body != null) {
          body.abort(e);
        }
        future.cancel(true);
        Thread.currentThread().interrupt();
        throw new ModelFetchException(Reason.INTERRUPTED, "download interrupted", e);
      } catch (ExecutionException | CompletionException | CancellationException e) {
        throw propagate(classify(unwrap(e), uri, target.file));
      }
    }
  }

  /** Throws {@code e} if it is one of the checked outcomes of an attempt. */
  private static IllegalStateException propagate(Exception e)
      throws TransientFailure, RestartFromZero, ModelFetchException {
    if (e instanceof TransientFailure t) {
      throw t;
    }
    if (e instanceof RestartFromZero r) {
      throw r;
    }
    if (e instanceof ModelFetchException m) {
      throw m;
    }
    return new IllegalStateException(e);
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof ExecutionException || t instanceof CompletionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private Exception classify(Throwable t, URI uri, RemoteFile file) {
    String where = host(uri);
    if (t instanceof ModelFetchException || t instanceof RestartFromZero) {
      return (Exception) t;
    }
    if (t instanceof FileBodySubscriber.BodyTooLongException tooLong) {
      return new ModelFetchException(
          Reason.CORRUPT,
          where + " sent more than the expected " + tooLong.limit + " bytes of " + file.path());
    }
    if (hasCause(t, UnresolvedAddressException.class) || hasCause(t, UnknownHostException.class)) {
      return new ModelFetchException(
          Reason.UNREACHABLE, "cannot reach " + where + ": unknown host", t);
    }
    if (t instanceof HttpConnectTimeoutException) {
      return new TransientFailure(
          Reason.UNREACHABLE,
          "cannot reach "
              + where
              + ": no connection within "
              + config.connectTimeout().toSeconds()
              + " s",
          Optional.empty());
    }
    if (t instanceof ConnectException || hasCause(t, ConnectException.class)) {
      String detail = t.getMessage() == null ? "connection refused" : t.getMessage();
      return new TransientFailure(
          Reason.UNREACHABLE, "cannot reach " + where + ": " + detail, Optional.empty());
    }
    if (t instanceof SSLException) {
      return new ModelFetchException(
          Reason.UNREACHABLE, "secure connection to " + where + " failed: " + t.getMessage(), t);
    }
    if (t instanceof HttpTimeoutException) {
      return new TransientFailure(
          Reason.TRANSFER_FAILED,
          "no answer from " + where + " within " + config.readTimeout().toSeconds() + " s",
          Optional.empty());
    }
    if (t instanceof IOException || t instanceof CancellationException) {
      String detail = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
      return new TransientFailure(
          Reason.TRANSFER_FAILED,
          "connection to " + where + " lost while downloading " + file.path() + ": " + detail,
          Optional.empty());
    }
    return new ModelFetchException(
        Reason.TRANSFER_FAILED, "downloading " + file.path() + " from " + where + " failed", t);
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  private Exception statusFailure(
      int status, HttpHeaders headers, URI uri, RemoteFile file, String repository) {
    String where = host(uri);
    String hubMessage = headers.firstValue("X-Error-Message").map(m -> ": " + m.strip()).orElse("");
    String what = repository + "/" + file.path();
    if (status == 401 || status == 403) {
      String advice =
          config.token().isPresent()
              ? "the access token was refused or has no access to " + repository
              : "this repository needs an access token";
      return new ModelFetchException(
          Reason.ACCESS_DENIED,
          where + " refused access to " + what + " (HTTP " + status + hubMessage + "); " + advice);
    }
    if (status == 404) {
      return new ModelFetchException(
          Reason.NOT_FOUND, where + " has no " + what + " (HTTP 404" + hubMessage + ")");
    }
    if (status == 408 || status == 429 || status >= 500) {
      return new TransientFailure(
          Reason.HTTP_STATUS,
          where + " answered HTTP " + status + hubMessage + " for " + what,
          retryAfter(headers));
    }
    return new ModelFetchException(
        Reason.HTTP_STATUS, where + " answered HTTP " + status + hubMessage + " for " + what);
  }

  private static Optional<Duration> retryAfter(HttpHeaders headers) {
    return headers
        .firstValue("Retry-After")
        .flatMap(
            v -> {
              try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(v.strip())));
              } catch (NumberFormatException e) {
                return Optional.empty(); // an HTTP date: use our own backoff
              }
            });
  }

  /** Checks the finished part against the pinned values, else against what the hub reported. */
  private Downloaded verify(RemoteFile file, Path part, HubMetadata hub, long transferred)
      throws ModelFetchException {
    boolean needGitSha1 = file.sha256().isEmpty() && hub.lfsSha256().isEmpty();
    if (needGitSha1 && hub.gitBlobSha1().isEmpty()) {
      deleteQuietly(part);
      throw new ModelFetchException(
          Reason.NO_CHECKSUM,
          "cannot verify "
              + file.path()
              + ": no SHA-256 is pinned for it and the hub reported no checksum; nothing was"
              + " installed");
    }
    Digests.FileDigest actual;
    try {
      actual = Digests.ofFile(part, needGitSha1);
    } catch (IOException e) {
      throw new ModelFetchException(
          Reason.LOCAL_IO, "cannot read back " + part + ": " + e.getMessage(), e);
    }
    OptionalLong expectedSize = file.size().isPresent() ? file.size() : hub.size();
    if (expectedSize.isPresent() && actual.size() != expectedSize.getAsLong()) {
      deleteQuietly(part);
      throw corrupt(
          file, "it has " + actual.size() + " bytes, expected " + expectedSize.getAsLong());
    }
    String verifiedBy;
    String expected;
    String got;
    if (file.sha256().isPresent()) {
      verifiedBy = "pinned-sha256";
      expected = file.sha256().get();
      got = actual.sha256();
    } else if (hub.lfsSha256().isPresent()) {
      verifiedBy = "hub-lfs-sha256";
      expected = hub.lfsSha256().get();
      got = actual.sha256();
    } else {
      verifiedBy = "hub-git-blob-sha1";
      expected = hub.gitBlobSha1().get();
      got = actual.gitBlobSha1();
    }
    if (!expected.equals(got)) {
      deleteQuietly(part);
      String algorithm = verifiedBy.equals("hub-git-blob-sha1") ? "git blob SHA-1" : "SHA-256";
      throw corrupt(file, "its " + algorithm + " is " + got + ", expected " + expected);
    }
    return new Downloaded(actual.size(), actual.sha256(), verifiedBy, hub.commit(), transferred);
  }

  private static ModelFetchException corrupt(RemoteFile file, String detail) {
    return new ModelFetchException(
        Reason.CORRUPT,
        "downloaded "
            + file.path()
            + " is corrupt: "
            + detail
            + ". The bad download was deleted and nothing was installed; run the fetch again to"
            + " download it afresh");
  }

  private static long sizeOrZero(Path part) throws ModelFetchException {
    try {
      return Files.exists(part) ? Files.size(part) : 0;
    } catch (IOException e) {
      throw new ModelFetchException(
          Reason.LOCAL_IO, "cannot inspect partial download " + part + ": " + e.getMessage(), e);
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      LOG.warn("could not delete {}: {}", path, e.getMessage());
    }
  }

  private static void sleep(Duration wait) throws ModelFetchException {
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelFetchException(Reason.INTERRUPTED, "download interrupted", e);
    }
  }

  /** {@code host} or {@code host:port}, the way a user would type it. */
  static String host(URI uri) {
    return uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
  }

  /** An ETag without weak prefix and quotes, lower-cased. */
  static String bareEtag(String etag) {
    String e = etag.strip();
    if (e.startsWith("W/")) {
      e = e.substring(2);
    }
    if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
      e = e.substring(1, e.length() - 1);
    }
    return e.toLowerCase(Locale.ROOT);
  }

  /**
   * Decides, once the status line is in, where the body goes: a 200 truncates the part and writes
   * from byte 0, a 206 that starts where the part ends appends; everything else is discarded.
   */
  private final class BodyTarget implements HttpResponse.BodyHandler<Void> {
    final RemoteFile file;
    final Path part;
    final long have;
    final boolean fromHub;
    final HubMetadata known;
    final FetchListener listener;
    final AtomicLong transferred;
    final AtomicReference<FileBodySubscriber> subscriber = new AtomicReference<>();
    volatile Exception problem;

    BodyTarget(
        RemoteFile file,
        Path part,
        long have,
        boolean fromHub,
        HubMetadata known,
        FetchListener listener,
        AtomicLong transferred) {
      this.file = file;
      this.part = part;
      this.have = have;
      this.fromHub = fromHub;
      this.known = known;
      this.listener = listener;
      this.transferred = transferred;
    }

    @Override
    public BodySubscriber<Void> apply(HttpResponse.ResponseInfo info) {
      int status = info.statusCode();
      if (status != 200 && status != 206) {
        return BodySubscribers.discarding();
      }
      long start;
      if (status == 206) {
        Optional<Matcher> range =
            info.headers()
                .firstValue("Content-Range")
                .map(CONTENT_RANGE::matcher)
                .filter(Matcher::matches);
        if (range.isEmpty() || Long.parseLong(range.get().group(1)) != have) {
          problem =
              new RestartFromZero(
                  "the server answered the request to resume "
                      + file.path()
                      + " at byte "
                      + have
                      + " with another range ("
                      + info.headers().firstValue("Content-Range").orElse("none")
                      + ")");
          return BodySubscribers.discarding();
        }
        start = have;
      } else {
        if (have > 0) {
          listener.restarting(file.path(), "the server does not resume downloads; starting over");
        }
        start = 0;
      }
      long total = expectedTotal(info.headers(), start);
      try {
        FileChannel channel =
            status == 206
                ? FileChannel.open(part, StandardOpenOption.WRITE)
                : FileChannel.open(
                    part,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        channel.position(start);
        FileBodySubscriber body =
            new FileBodySubscriber(
                channel,
                total >= 0 ? total : Long.MAX_VALUE,
                n -> {
                  transferred.addAndGet(n);
                  listener.bytesReceived(n);
                },
                nanoClock);
        subscriber.set(body);
        listener.fileStarted(file.path(), total, start);
        return BodySubscribers.fromSubscriber(body, b -> null);
      } catch (IOException e) {
        problem =
            new ModelFetchException(
                Reason.LOCAL_IO, "cannot write " + part + ": " + e.getMessage(), e);
        return BodySubscribers.discarding();
      }
    }

    /** The file's full size: pinned, else reported by the hub, else from this response. */
    private long expectedTotal(HttpHeaders headers, long start) {
      if (file.size().isPresent()) {
        return file.size().getAsLong();
      }
      HubMetadata hub = fromHub ? merge(known, HubMetadata.from(headers)) : known;
      if (hub.size().isPresent()) {
        return hub.size().getAsLong();
      }
      OptionalLong contentLength = headers.firstValueAsLong("Content-Length");
      return contentLength.isPresent() ? start + contentLength.getAsLong() : -1;
    }

    /** Waits for the body written by {@link #apply} and reports what went wrong with it. */
    void awaitCompletion(URI uri) throws TransientFailure, RestartFromZero, ModelFetchException {
      if (problem != null) {
        throw propagate(problem);
      }
      FileBodySubscriber body = subscriber.get();
      if (body == null) {
        return;
      }
      try {
        body.done().join();
      } catch (CompletionException | CancellationException e) {
        throw propagate(classify(unwrap(e), uri, file));
      }
    }
  }
}
