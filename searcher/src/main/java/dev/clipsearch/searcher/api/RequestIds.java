package dev.clipsearch.searcher.api;

import io.javalin.http.Context;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * One id per request: the caller's {@code X-Request-Id} when it is a sane token, a fresh random one
 * otherwise. It is echoed in the response header, in every error body and in the server log.
 */
public final class RequestIds {

  /** The request and response header. */
  public static final String HEADER = "X-Request-Id";

  private static final String ATTRIBUTE = "clipsearch.requestId";
  private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private RequestIds() {}

  /** Assigns the request's id and sets the response header; runs before every handler. */
  static void assign(Context ctx) {
    String given = ctx.header(HEADER);
    String id = given != null && ACCEPTED.matcher(given).matches() ? given : newId();
    ctx.attribute(ATTRIBUTE, id);
    ctx.header(HEADER, id);
  }

  /** The request's id; assigns one if the request has none yet (errors raised before routing). */
  static String of(Context ctx) {
    String id = ctx.attribute(ATTRIBUTE);
    if (id == null) {
      assign(ctx);
      id = ctx.attribute(ATTRIBUTE);
    }
    return id;
  }

  /** A random 96-bit id in hex. */
  static String newId() {
    byte[] bytes = new byte[12];
    ThreadLocalRandom.current().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
