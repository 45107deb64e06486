package dev.clipsearch.models.hub;

import dev.clipsearch.common.net.RetryPolicy;
import dev.clipsearch.models.hub.DownloadFailures.RestartFromZero;
import dev.clipsearch.models.hub.DownloadFailures.TransientFailure;
import dev.clipsearch.models.hub.ModelFetchException.Reason;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads one file of a model repository into a {@code .part} file and verifies it. This class
 * holds the attempt loop (retries, restarts) and one attempt's redirect and wait loops; requests
 * and redirect rules are {@link HubRequests}, where a body goes is {@link BodyTarget}, failures are
 * sorted by {@link DownloadFailures}, and the check of the finished file is {@link
 * DownloadVerifier}.
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
  private static final Pattern UNSATISFIED_RANGE =
      Pattern.compile("bytes\\s+\\*/(\\d+)", Pattern.CASE_INSENSITIVE);
  private static final Logger LOG = LoggerFactory.getLogger(FileDownloader.class);

  private final HttpClient client;
  private final HubConfig config;
  private final HubRequests requests;
  private final DownloadFailures failures;
  private final LongSupplier nanoClock = System::nanoTime;

  FileDownloader(HttpClient client, HubConfig config, String userAgent) {
    this.client = client;
    this.config = config;
    this.requests = new HubRequests(config, userAgent);
    this.failures = new DownloadFailures(config);
  }

  /** A downloaded and verified file, still at its {@code .part} path. */
  record Downloaded(
      long size, String sha256, String verifiedBy, Optional<String> commit, long transferred) {}

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
        return DownloadVerifier.verify(file, part, metadata, transferred.get());
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
      boolean fromHub = HubRequests.sameOrigin(current, config.endpoint());
      BodyTarget target =
          new BodyTarget(
              file, part, have, fromHub, metadata, listener, transferred, failures, nanoClock);
      HttpResponse<Void> response = send(requests.request(current, have), target, current);
      HttpHeaders headers = response.headers();
      int status = response.statusCode();
      if (fromHub) {
        metadata = metadata.merge(HubMetadata.from(headers));
        metadata.checkPin(file, repository);
      }
      if (HubRequests.isRedirect(status)) {
        current = HubRequests.redirectTarget(current, headers, status);
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
            HubRequests.host(current)
                + " cannot resume "
                + file.path()
                + " at byte "
                + have
                + " (HTTP 416)");
      }
      throw DownloadFailures.propagate(
          failures.statusFailure(status, headers, current, file, repository));
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
          throw DownloadFailures.propagate(
              failures.classify(body.done().exceptionNow(), uri, target.file));
        }
        if (body.idleNanos() > timeoutNanos) {
          body.abort(new HttpTimeoutException("idle"));
          future.cancel(true);
          throw new TransientFailure(
              Reason.TRANSFER_FAILED,
              "no data from "
                  + HubRequests.host(uri)
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
        throw DownloadFailures.propagate(
            failures.classify(DownloadFailures.unwrap(e), uri, target.file));
      }
    }
  }

  private static long sizeOrZero(Path part) throws ModelFetchException {
    try {
      return Files.exists(part) ? Files.size(part) : 0;
    } catch (IOException e) {
      throw new ModelFetchException(
          Reason.LOCAL_IO, "cannot inspect partial download " + part + ": " + e.getMessage(), e);
    }
  }

  /** Deletes a part that must not be resumed; a failure to delete is only logged. */
  static void deleteQuietly(Path path) {
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
}
