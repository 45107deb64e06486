package dev.clipsearch.indexer.fetch;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body into a byte array, cancelling the download as soon as it exceeds a cap,
 * so a huge or endless body costs at most {@code maxBytes} of memory and bandwidth.
 */
final class LimitedBodySubscriber implements HttpResponse.BodySubscriber<byte[]> {

  /** Completes the body future when the cap is exceeded (or declared exceeded up front). */
  static final class BodyTooLargeException extends RuntimeException {
    final long bytesSeen;

    BodyTooLargeException(long bytesSeen) {
      super("body exceeds the size cap after " + bytesSeen + " bytes", null, false, false);
      this.bytesSeen = bytesSeen;
    }
  }

  private final long maxBytes;
  private final long declaredLength;
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private Flow.Subscription subscription;
  private long received;

  /**
   * @param maxBytes the cap
   * @param declaredLength the Content-Length header, or -1; above the cap the download is refused
   *     before it starts
   */
  LimitedBodySubscriber(long maxBytes, long declaredLength) {
    this.maxBytes = maxBytes;
    this.declaredLength = declaredLength;
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    if (declaredLength > maxBytes) {
      subscription.cancel();
      result.completeExceptionally(new BodyTooLargeException(declaredLength));
      return;
    }
    subscription.request(1);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer item : items) {
      received += item.remaining();
      if (received > maxBytes) {
        subscription.cancel();
        result.completeExceptionally(new BodyTooLargeException(received));
        return;
      }
      byte[] chunk = new byte[item.remaining()];
      item.get(chunk);
      buffer.writeBytes(chunk);
    }
    subscription.request(1);
  }

  @Override
  public void onError(Throwable throwable) {
    result.completeExceptionally(throwable);
  }

  @Override
  public void onComplete() {
    result.complete(buffer.toByteArray());
  }
}
