package dev.clipsearch.searcher.service;

import java.time.Duration;

/**
 * The model's inference queue is full: the request is refused at once rather than queued without
 * bound. Callers should retry after {@link #retryAfter()}.
 */
public final class ServiceOverloadedException extends RuntimeException {

  private final Duration retryAfter;

  public ServiceOverloadedException(String message, Duration retryAfter) {
    super(message);
    this.retryAfter = retryAfter;
  }

  /** How long the caller should wait before trying again. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
