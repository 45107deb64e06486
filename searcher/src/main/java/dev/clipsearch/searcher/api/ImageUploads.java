package dev.clipsearch.searcher.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Gets the query image out of a request, in any of the three accepted forms: a multipart upload
 * (field {@code image}), a raw {@code image/*} (or {@code application/octet-stream}) body, or a
 * JSON body with {@code image_base64}. Enforces the image size cap (413) and says clearly which
 * form was expected (400, 415). Whether the bytes are an image is the decoder's business.
 */
final class ImageUploads {

  /** The multipart field and JSON field names. */
  static final String IMAGE_FIELD = "image";

  static final String IMAGE_BASE64_FIELD = "image_base64";

  private final long maxImageBytes;
  private final ObjectMapper mapper;

  ImageUploads(long maxImageBytes, ObjectMapper mapper) {
    this.maxImageBytes = maxImageBytes;
    this.mapper = mapper;
  }

  /** A JSON image query, with an optional refining text {@code q}. */
  record ImageJson(String imageBase64, String q) {}

  /** An image query: the image, and the text beside it ({@code q}) or {@code null}. */
  record ImageInput(byte[] image, String q) {}

  /** A JSON classification request. */
  record ClassifyJson(String imageBase64, List<String> labels, String template) {}

  /** What a classification request carries. */
  record ClassifyInput(byte[] image, List<String> labels, String template) {}

  /**
   * The query image of {@code POST /api/search/image} and the text that refines it: a multipart
   * field {@code q}, the JSON field {@code q}, or for a raw body the query parameter {@code q}.
   */
  ImageInput readImageQuery(Context ctx) {
    if (ctx.isMultipartFormData()) {
      return new ImageInput(multipartImage(ctx), ctx.formParam("q"));
    }
    if (ctx.isJson()) {
      ImageJson body = parseJson(ctx, ImageJson.class);
      return new ImageInput(decodeBase64(body.imageBase64(), IMAGE_BASE64_FIELD), body.q());
    }
    return new ImageInput(rawImage(ctx), ctx.queryParam("q"));
  }

  /** A raw {@code image/*} body. */
  private byte[] rawImage(Context ctx) {
    String type = mediaType(ctx);
    if (type != null && (type.startsWith("image/") || type.equals("application/octet-stream"))) {
      byte[] bytes = ctx.bodyAsBytes();
      checkSize(bytes.length, "the image");
      if (bytes.length == 0) {
        throw ApiErrors.error(
            HttpStatus.BAD_REQUEST, ErrorCodes.EMPTY_IMAGE, "the request body is empty", null);
      }
      return bytes;
    }
    throw unsupported(ctx, "an image/* body, multipart/form-data with a file field 'image'");
  }

  /** The image, labels and template of {@code POST /api/classify}. */
  ClassifyInput readClassify(Context ctx) {
    if (ctx.isMultipartFormData()) {
      byte[] image = multipartImage(ctx);
      return new ClassifyInput(image, ctx.formParams("labels"), ctx.formParam("template"));
    }
    if (ctx.isJson()) {
      ClassifyJson body = parseJson(ctx, ClassifyJson.class);
      return new ClassifyInput(
          decodeBase64(body.imageBase64(), IMAGE_BASE64_FIELD),
          body.labels() == null ? List.of() : body.labels(),
          body.template());
    }
    throw unsupported(ctx, "multipart/form-data with a file field 'image' and fields 'labels'");
  }

  /**
   * Refuses (415, naming the {@code expected} form) a body that is not multipart: for a route that
   * takes only multipart bodies ({@code POST /api/detect}) and reads its other fields itself.
   */
  void requireMultipart(Context ctx, String expected) {
    if (!ctx.isMultipartFormData()) {
      throw unsupportedType(ctx, expected);
    }
  }

  /** The file field {@code image} of a multipart body, with the size checks of every upload. */
  byte[] readMultipartImage(Context ctx, String expected) {
    requireMultipart(ctx, expected);
    return multipartImage(ctx);
  }

  private byte[] multipartImage(Context ctx) {
    UploadedFile file = ctx.uploadedFile(IMAGE_FIELD);
    if (file == null) {
      throw ApiErrors.missingParameter(
          IMAGE_FIELD, "the multipart body has no file field '" + IMAGE_FIELD + "'");
    }
    checkSize(file.size(), "the uploaded image");
    try (InputStream in = file.content()) {
      byte[] bytes = in.readNBytes((int) Math.min(file.size() + 1, maxImageBytes + 1));
      checkSize(bytes.length, "the uploaded image");
      if (bytes.length == 0) {
        throw ApiErrors.error(
            HttpStatus.BAD_REQUEST, ErrorCodes.EMPTY_IMAGE, "the uploaded image is empty", null);
      }
      return bytes;
    } catch (IOException e) {
      throw ApiErrors.malformedBody(
          "could not read the multipart field 'image': " + e.getMessage());
    }
  }

  /** A JSON body as a tree, for bodies checked field by field ({@code POST /api/search}). */
  JsonNode readJsonTree(Context ctx) {
    if (!ctx.isJson()) {
      throw unsupportedJson(ctx);
    }
    return parseJson(ctx, JsonNode.class);
  }

  private <T> T parseJson(Context ctx, Class<T> type) {
    byte[] body = ctx.bodyAsBytes();
    try {
      T value = mapper.readValue(body, type);
      if (value == null) {
        throw ApiErrors.malformedBody("the JSON body is null; expected an object");
      }
      return value;
    } catch (JsonProcessingException e) {
      throw ApiErrors.malformedBody("the JSON body is malformed: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiErrors.malformedBody("could not read the JSON body: " + e.getMessage());
    }
  }

  /**
   * Decodes a base64 image (or a base64 {@code data:} URL) from a JSON field, refusing one over the
   * size cap before decoding it; errors name {@code field}.
   */
  byte[] decodeBase64(String encoded, String field) {
    if (encoded == null) {
      throw ApiErrors.missingParameter(field, "the JSON body has no field '" + field + "'");
    }
    String data = encoded;
    if (data.startsWith("data:")) {
      int comma = data.indexOf(',');
      if (comma < 0 || !data.substring(0, comma).endsWith(";base64")) {
        throw ApiErrors.invalidParameter(field, "'" + field + "' is a data URL but not base64");
      }
      data = data.substring(comma + 1);
    }
    // Base64 carries 3 bytes per 4 characters: refuse an oversized image before decoding it.
    checkSize((long) data.length() / 4 * 3, "the image in '" + field + "'");
    byte[] bytes;
    try {
      if (!isBase64(data)) {
        throw new IllegalArgumentException("characters outside the base64 alphabet");
      }
      bytes = Base64.getMimeDecoder().decode(data);
    } catch (IllegalArgumentException e) {
      throw ApiErrors.invalidParameter(
          field, "'" + field + "' is not valid base64: " + e.getMessage());
    }
    checkSize(bytes.length, "the image in '" + field + "'");
    if (bytes.length == 0) {
      throw ApiErrors.error(
          HttpStatus.BAD_REQUEST, ErrorCodes.EMPTY_IMAGE, "'" + field + "' is empty", field);
    }
    return bytes;
  }

  /** Standard base64 alphabet, padding and line breaks only (the MIME decoder skips the rest). */
  private static boolean isBase64(String data) {
    for (int i = 0; i < data.length(); i++) {
      char c = data.charAt(i);
      boolean ok =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '+'
              || c == '/'
              || c == '='
              || c == '\r'
              || c == '\n';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private void checkSize(long bytes, String what) {
    if (bytes > maxImageBytes) {
      throw ApiErrors.error(
          HttpStatus.CONTENT_TOO_LARGE,
          ErrorCodes.PAYLOAD_TOO_LARGE,
          what + " exceeds the limit of " + maxImageBytes + " bytes",
          null);
    }
  }

  private static String mediaType(Context ctx) {
    String type = ctx.contentType();
    if (type == null) {
      return null;
    }
    int semicolon = type.indexOf(';');
    return (semicolon < 0 ? type : type.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
  }

  private static RuntimeException unsupportedJson(Context ctx) {
    return unsupportedType(ctx, "application/json");
  }

  private static RuntimeException unsupported(Context ctx, String expected) {
    return unsupportedType(
        ctx, expected + ", or application/json with '" + IMAGE_BASE64_FIELD + "'");
  }

  /** The one 415 for a body of the wrong type, naming what came and what to send. */
  private static RuntimeException unsupportedType(Context ctx, String send) {
    String type = ctx.contentType();
    return ApiErrors.error(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        ErrorCodes.UNSUPPORTED_MEDIA_TYPE,
        "unsupported request Content-Type "
            + (type == null ? "(none)" : "'" + type + "'")
            + "; send "
            + send,
        null);
  }
}
