package dev.clipsearch.models.hub;

import dev.clipsearch.models.hub.DownloadFailures.RestartFromZero;
import dev.clipsearch.models.hub.DownloadFailures.TransientFailure;
import dev.clipsearch.models.hub.ModelFetchException.Reason;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides, once the status line is in, where the body goes: a 200 truncates the part and writes
 * from byte 0, a 206 that starts where the part ends appends; everything else is discarded.
 */
final class BodyTarget implements HttpResponse.BodyHandler<Void> {

  private static final Pattern CONTENT_RANGE =
      Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)", Pattern.CASE_INSENSITIVE);

  final RemoteFile file;
  final Path part;
  final long have;
  final boolean fromHub;
  final HubMetadata known;
  final FetchListener listener;
  final AtomicLong transferred;
  final AtomicReference<FileBodySubscriber> subscriber = new AtomicReference<>();
  volatile Exception problem;
  private final DownloadFailures failures;
  private final LongSupplier nanoClock;

  BodyTarget(
      RemoteFile file,
      Path part,
      long have,
      boolean fromHub,
      HubMetadata known,
      FetchListener listener,
      AtomicLong transferred,
      DownloadFailures failures,
      LongSupplier nanoClock) {
    this.file = file;
    this.part = part;
    this.have = have;
    this.fromHub = fromHub;
    this.known = known;
    this.listener = listener;
    this.transferred = transferred;
    this.failures = failures;
    this.nanoClock = nanoClock;
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
    HubMetadata hub = fromHub ? known.merge(HubMetadata.from(headers)) : known;
    if (hub.size().isPresent()) {
      return hub.size().getAsLong();
    }
    OptionalLong contentLength = headers.firstValueAsLong("Content-Length");
    return contentLength.isPresent() ? start + contentLength.getAsLong() : -1;
  }

  /** Waits for the body written by {@link #apply} and reports what went wrong with it. */
  void awaitCompletion(URI uri) throws TransientFailure, RestartFromZero, ModelFetchException {
    if (problem != null) {
      throw DownloadFailures.propagate(problem);
    }
    FileBodySubscriber body = subscriber.get();
    if (body == null) {
      return;
    }
    try {
      body.done().join();
    } catch (CompletionException | CancellationException e) {
      throw DownloadFailures.propagate(failures.classify(DownloadFailures.unwrap(e), uri, file));
    }
  }
}
