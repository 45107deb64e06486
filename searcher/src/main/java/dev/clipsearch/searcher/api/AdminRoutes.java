package dev.clipsearch.searcher.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.indexer.store.IndexedProduct;
import dev.clipsearch.searcher.service.CatalogAdmin;
import dev.clipsearch.searcher.service.IndexSwitchException;
import dev.clipsearch.searcher.service.IndexSwitchResult;
import dev.clipsearch.searcher.service.IndexSwitcher;
import dev.clipsearch.searcher.service.IndexTarget;
import dev.clipsearch.searcher.service.ProductFields;
import dev.clipsearch.searcher.service.ProductNotFoundException;
import dev.clipsearch.searcher.service.ProductUpload;
import dev.clipsearch.searcher.service.UpsertResult;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * {@code PUT} and {@code DELETE /api/admin/products/{id}}, and {@code POST /api/admin/index} (serve
 * another index and model without downtime), behind a bearer token.
 *
 * <p>A product is sent either as {@code multipart/form-data} with a {@code product} field holding
 * the JSON fields and one or more {@code image} file fields, or as JSON: the fields plus {@code
 * images_base64}, a list of base64 images. The product's zero-shot attributes ({@code attr.*}) are
 * kept when the body has no {@code facet_attributes} object, and replaced by it when it has.
 */
public final class AdminRoutes {

  /** Most images accepted for one product. */
  static final int MAX_IMAGES = 16;

  /** Longest accepted product id. */
  static final int MAX_ID_CHARS = 512;

  private final CatalogAdmin admin;
  private final IndexSwitcher switcher;
  private final ObjectMapper mapper;
  private final long maxImageBytes;

  /**
   * Product routes only; {@code POST /api/admin/index} answers that switching is not available.
   *
   * @param admin applies the changes
   * @param maxImageBytes largest accepted image, as for searches
   */
  public AdminRoutes(CatalogAdmin admin, long maxImageBytes) {
    this(admin, null, maxImageBytes);
  }

  /**
   * @param admin applies the changes
   * @param switcher switches the served index and model, or null when the server cannot
   * @param maxImageBytes largest accepted image, as for searches
   */
  public AdminRoutes(CatalogAdmin admin, IndexSwitcher switcher, long maxImageBytes) {
    this.admin = admin;
    this.switcher = switcher;
    this.mapper = ApiJson.newMapper();
    this.maxImageBytes = maxImageBytes;
  }

  /** The JSON body of {@code POST /api/admin/index}, as {@code serve --index --model}. */
  record IndexJson(String index, String model) {}

  /**
   * {@code POST /api/admin/index}: serve another index with the model that built it. Answers 200
   * with the new and the previous index and model once the switch is made; 422 (the index or the
   * model cannot be used, or failed warm-up) or 409 (already served, another switch running) with
   * the reason otherwise, the previous index still serving.
   */
  void switchIndex(Context ctx) {
    if (switcher == null) {
      throw ApiErrors.error(
          HttpStatus.NOT_FOUND,
          ErrorCodes.NOT_FOUND,
          "this server cannot switch its index and model",
          null);
    }
    if (!ctx.isJson()) {
      throw ApiErrors.error(
          HttpStatus.UNSUPPORTED_MEDIA_TYPE,
          ErrorCodes.UNSUPPORTED_MEDIA_TYPE,
          "send application/json: {\"index\": \"DIR\", \"model\": \"DIR|NAME\"}",
          null);
    }
    IndexJson body;
    try {
      body = mapper.readValue(ctx.bodyAsBytes(), IndexJson.class);
    } catch (IOException e) {
      throw ApiErrors.malformedBody(
          "the body must be {\"index\": \"DIR\", \"model\": \"DIR|NAME\"}: " + e.getMessage());
    }
    if (body == null || body.index() == null || body.index().isBlank()) {
      throw ApiErrors.missingParameter("index", "'index' must name the index directory to serve");
    }
    if (body.model() == null || body.model().isBlank()) {
      throw ApiErrors.missingParameter(
          "model", "'model' must name the model that built the index (a directory or a name)");
    }
    Path index;
    try {
      index = Path.of(body.index().strip());
    } catch (InvalidPathException e) {
      throw ApiErrors.invalidParameter("index", "'index' is not a path: " + e.getMessage());
    }
    IndexSwitchResult result;
    try {
      result = switcher.switchTo(new IndexTarget(index, body.model().strip()));
    } catch (IndexSwitchException e) {
      HttpStatus status =
          switch (e.reason()) {
            case ALREADY_SERVING, BUSY -> HttpStatus.CONFLICT;
            case INDEX_UNUSABLE, MODEL_MISMATCH, MODEL_UNUSABLE, WARMUP_FAILED ->
                HttpStatus.UNPROCESSABLE_CONTENT;
          };
      String parameter =
          switch (e.reason()) {
            case INDEX_UNUSABLE, ALREADY_SERVING -> "index";
            case MODEL_MISMATCH, MODEL_UNUSABLE -> "model";
            case WARMUP_FAILED, BUSY -> null;
          };
      throw ApiErrors.error(
          status, e.reason().code(), "the index was not switched: " + e.getMessage(), parameter);
    }
    ctx.json(result);
  }

  /** The JSON form of a product upload. */
  record ProductJson(
      String title,
      String description,
      String brand,
      String category,
      Double price,
      String currency,
      List<String> tags,
      String url,
      Map<String, Object> attributes,
      Map<String, String> facetAttributes,
      List<String> imagesBase64) {

    ProductFields fields() {
      return new ProductFields(
          title,
          description,
          brand,
          category,
          price,
          currency,
          tags,
          url,
          attributes,
          facetAttributes);
    }
  }

  void upsert(Context ctx) {
    String id = productId(ctx);
    ProductJson product;
    List<byte[]> images = new ArrayList<>();
    if (ctx.isMultipartFormData()) {
      String json = ctx.formParam("product");
      if (json == null) {
        UploadedFile part = ctx.uploadedFile("product");
        json = part == null ? null : readText(part);
      }
      if (json == null) {
        throw ApiErrors.missingParameter(
            "product", "the multipart body has no field 'product' with the product's JSON");
      }
      product = parse(json.getBytes(StandardCharsets.UTF_8));
      if (product.imagesBase64() != null) {
        throw ApiErrors.invalidParameter(
            "images_base64", "send images as 'image' file fields in a multipart body");
      }
      for (UploadedFile file : ctx.uploadedFiles("image")) {
        images.add(read(file));
      }
    } else if (ctx.isJson()) {
      product = parse(ctx.bodyAsBytes());
      if (product.imagesBase64() != null) {
        for (String encoded : product.imagesBase64()) {
          images.add(decode(encoded));
        }
      }
    } else {
      throw ApiErrors.error(
          HttpStatus.UNSUPPORTED_MEDIA_TYPE,
          ErrorCodes.UNSUPPORTED_MEDIA_TYPE,
          "send the product as application/json (with 'images_base64') or multipart/form-data"
              + " (a 'product' JSON field and 'image' file fields)",
          null);
    }
    if (images.isEmpty()) {
      throw ApiErrors.missingParameter("image", "a product needs at least one image");
    }
    if (images.size() > MAX_IMAGES) {
      throw ApiErrors.invalidParameter(
          "image", "a product may have at most " + MAX_IMAGES + " images, got " + images.size());
    }
    if (product.price() != null && (!Double.isFinite(product.price()) || product.price() < 0)) {
      throw ApiErrors.invalidParameter("price", "'price' must be a finite number, at least 0");
    }
    checkFacetAttributes(product.facetAttributes());
    UpsertResult result = admin.upsert(new ProductUpload(id, product.fields(), images));
    ctx.status(result.created() ? HttpStatus.CREATED : HttpStatus.OK).json(result);
  }

  /**
   * The zero-shot attributes of a product body: names as {@code clipsearch tag} writes them, values
   * not blank; a 400 naming {@code facet_attributes} otherwise. Null (absent) is fine: the stored
   * values stay.
   */
  private static void checkFacetAttributes(Map<String, String> attributes) {
    if (attributes == null) {
      return;
    }
    for (Map.Entry<String, String> e : attributes.entrySet()) {
      if (!IndexedProduct.isAttributeName(e.getKey())) {
        throw ApiErrors.invalidParameter(
            "facet_attributes",
            "'facet_attributes' name '"
                + e.getKey()
                + "' must match "
                + IndexedProduct.ATTRIBUTE_NAME_PATTERN);
      }
      if (e.getValue() == null || e.getValue().isBlank()) {
        throw ApiErrors.invalidParameter(
            "facet_attributes",
            "'facet_attributes' value of '" + e.getKey() + "' must be a non-blank string");
      }
    }
  }

  void delete(Context ctx) {
    String id = productId(ctx);
    if (!admin.delete(id)) {
      throw new ProductNotFoundException(id);
    }
    ctx.status(HttpStatus.NO_CONTENT);
  }

  /** Throws 401 unless the request carries {@code Authorization: Bearer <token>}. */
  static void checkBearer(Context ctx, String token) {
    String header = ctx.header("Authorization");
    String prefix = "Bearer ";
    boolean ok =
        header != null
            && header.regionMatches(true, 0, prefix, 0, prefix.length())
            && MessageDigest.isEqual(
                header.substring(prefix.length()).strip().getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    if (!ok) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"clipsearch admin\"");
      throw ApiErrors.error(
          HttpStatus.UNAUTHORIZED,
          ErrorCodes.UNAUTHORIZED,
          header == null
              ? "admin routes need an 'Authorization: Bearer <token>' header"
              : "the bearer token is not valid",
          null);
    }
  }

  private static String productId(Context ctx) {
    String id = ctx.pathParam("id");
    if (id.isBlank() || id.length() > MAX_ID_CHARS) {
      throw ApiErrors.invalidParameter(
          "id", "the product id must be 1 to " + MAX_ID_CHARS + " non-blank characters");
    }
    return id;
  }

  private ProductJson parse(byte[] json) {
    try {
      ProductJson product = mapper.readValue(json, ProductJson.class);
      if (product == null) {
        throw ApiErrors.malformedBody("the product JSON is null; expected an object");
      }
      return product;
    } catch (JsonProcessingException e) {
      throw ApiErrors.malformedBody("the product JSON is malformed: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiErrors.malformedBody("could not read the product JSON: " + e.getMessage());
    }
  }

  private byte[] read(UploadedFile file) {
    checkSize(file.size());
    try (InputStream in = file.content()) {
      byte[] bytes = in.readNBytes((int) Math.min(file.size() + 1, maxImageBytes + 1));
      checkSize(bytes.length);
      return bytes;
    } catch (IOException e) {
      throw ApiErrors.malformedBody("could not read an 'image' field: " + e.getMessage());
    }
  }

  private static String readText(UploadedFile file) {
    try (InputStream in = file.content()) {
      return new String(in.readNBytes(1024 * 1024), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw ApiErrors.malformedBody("could not read the 'product' field: " + e.getMessage());
    }
  }

  private byte[] decode(String encoded) {
    if (encoded == null) {
      throw ApiErrors.invalidParameter("images_base64", "'images_base64' holds a null");
    }
    checkSize((long) encoded.length() / 4 * 3);
    try {
      return Base64.getDecoder().decode(encoded.strip());
    } catch (IllegalArgumentException e) {
      throw ApiErrors.invalidParameter(
          "images_base64", "'images_base64' holds invalid base64: " + e.getMessage());
    }
  }

  private void checkSize(long bytes) {
    if (bytes > maxImageBytes) {
      throw ApiErrors.error(
          HttpStatus.CONTENT_TOO_LARGE,
          ErrorCodes.PAYLOAD_TOO_LARGE,
          "an image exceeds the limit of " + maxImageBytes + " bytes",
          null);
    }
  }
}
