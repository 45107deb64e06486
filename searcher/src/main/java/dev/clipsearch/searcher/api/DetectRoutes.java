package dev.clipsearch.searcher.api;

import dev.clipsearch.models.detect.DetectOptions;
import dev.clipsearch.models.detect.Detector;
import dev.clipsearch.searcher.service.DetectRequest;
import dev.clipsearch.searcher.service.DetectedObject;
import dev.clipsearch.searcher.service.DetectionService;
import dev.clipsearch.searcher.service.DetectionTimings;
import dev.clipsearch.searcher.service.ObjectDetection;
import dev.clipsearch.searcher.service.SearchOptions;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.List;
import java.util.Locale;

/**
 * {@code POST /api/detect}: zero-shot object detection on an uploaded photo, optionally with the
 * best products for each box ("shop the look"). Multipart only: a file field {@code image} and
 * fields {@code labels} (repeated), {@code threshold}, {@code max_detections}, {@code search},
 * {@code k}. The handler checks the fields, reads the upload through {@link ImageUploads} (the same
 * limits and errors as the other image routes) and calls the {@link DetectionService}.
 */
final class DetectRoutes {

  /** Most detections one answer may hold. */
  static final int MAX_DETECTIONS = 100;

  /** Products per box when {@code search=true} and no {@code k} is given. */
  static final int DEFAULT_K = 8;

  /** Most products per box. */
  static final int MAX_K = 100;

  private static final String EXPECTED =
      "multipart/form-data with a file field 'image' and fields 'labels'";

  private final DetectionService service;
  private final ImageUploads uploads;

  /**
   * @param service answers detections, or {@code null} when the server has no detector (the route
   *     then answers 503 {@code unavailable})
   */
  DetectRoutes(DetectionService service, ImageUploads uploads) {
    this.service = service;
    this.uploads = uploads;
  }

  /**
   * The answer.
   *
   * @param image the upright image's size
   * @param detector the model or method that answered
   * @param detections best first
   * @param timings where the time went, in milliseconds
   */
  record DetectBody(
      ImageSize image, String detector, List<DetectionBody> detections, DetectionTimings timings) {}

  /** An image's size in pixels. */
  record ImageSize(int width, int height) {}

  /**
   * One detection.
   *
   * @param label the label it answers
   * @param score the detector's confidence in [0, 1]
   * @param box {@code [x0, y0, x1, y1]} in pixels of the upright original
   * @param hits the best products for the box's crop, only with {@code search=true}
   */
  record DetectionBody(String label, double score, double[] box, List<ApiBodies.HitBody> hits) {}

  void detect(Context ctx) {
    uploads.requireMultipart(ctx, EXPECTED);
    float threshold =
        ctx.formParamAsClass("threshold", Float.class)
            .check(v -> v == null || v >= 0 && v <= 1, "must be between 0 and 1")
            .getOrDefault(DetectOptions.DEFAULT_THRESHOLD);
    int maxDetections =
        ctx.formParamAsClass("max_detections", Integer.class)
            .check(
                v -> v == null || v >= 1 && v <= MAX_DETECTIONS,
                "must be between 1 and " + MAX_DETECTIONS)
            .getOrDefault(DetectOptions.DEFAULT_MAX_DETECTIONS);
    boolean search = flag(ctx, "search");
    int k =
        ctx.formParamAsClass("k", Integer.class)
            .check(v -> v == null || v >= 1 && v <= MAX_K, "must be between 1 and " + MAX_K)
            .getOrDefault(DEFAULT_K);
    List<String> labels = LabelParams.check(ctx.formParams(LabelParams.NAME), Detector.MAX_LABELS);
    if (service == null) {
      throw ApiErrors.error(
          HttpStatus.SERVICE_UNAVAILABLE,
          ErrorCodes.UNAVAILABLE,
          "this server has no detector",
          null);
    }
    byte[] image = uploads.readMultipartImage(ctx, EXPECTED);
    DetectOptions options =
        DetectOptions.defaults().withThreshold(threshold).withMaxDetections(maxDetections);
    ObjectDetection result =
        service.detect(
            new DetectRequest(image, labels, options, search ? SearchOptions.firstPage(k) : null));
    ctx.json(body(result));
  }

  private static boolean flag(Context ctx, String name) {
    String value = ctx.formParam(name);
    if (value == null) {
      return false;
    }
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw ApiErrors.invalidParameter(
              name, "parameter '" + name + "' must be true or false, got '" + value + "'");
    };
  }

  static DetectBody body(ObjectDetection result) {
    List<DetectionBody> detections =
        result.detections().stream().map(DetectRoutes::detection).toList();
    return new DetectBody(
        new ImageSize(result.width(), result.height()),
        result.detector(),
        detections,
        result.timings());
  }

  private static DetectionBody detection(DetectedObject d) {
    double[] box = {d.box().x0(), d.box().y0(), d.box().x1(), d.box().y1()};
    List<ApiBodies.HitBody> hits =
        d.hits() == null ? null : d.hits().stream().map(ApiBodies::hit).toList();
    return new DetectionBody(d.label(), d.score(), box, hits);
  }
}
