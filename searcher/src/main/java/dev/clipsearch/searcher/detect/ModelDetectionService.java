package dev.clipsearch.searcher.detect;

import dev.clipsearch.models.detect.Crops;
import dev.clipsearch.models.detect.Detection;
import dev.clipsearch.models.detect.Detector;
import dev.clipsearch.models.image.DecodedImage;
import dev.clipsearch.models.image.DecodedImages;
import dev.clipsearch.models.image.ImageDecoder;
import dev.clipsearch.searcher.encode.QueryEncoder;
import dev.clipsearch.searcher.service.DetectRequest;
import dev.clipsearch.searcher.service.DetectedObject;
import dev.clipsearch.searcher.service.DetectionService;
import dev.clipsearch.searcher.service.DetectionTimings;
import dev.clipsearch.searcher.service.Hit;
import dev.clipsearch.searcher.service.ImageSearch;
import dev.clipsearch.searcher.service.ObjectDetection;
import dev.clipsearch.searcher.service.SearchService;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Detection with a {@link Detector} (OWL-ViT, or CLIP regions over the server's model) behind the
 * {@link DetectionService} seam. The upload is decoded (EXIF orientation applied, the server's
 * pixel limit checked from the header) and the detector run in one task on the {@link
 * QueryEncoder}'s bounded inference pool, so detections count against the same queue as encodings
 * and a full queue is a 503. When the request asks for a search, each box's crop (clipped to the
 * image) is written as a lossless PNG and searched through {@link SearchService#searchByImage}, the
 * very path of an uploaded query image. Thread-safe; does not close the detector, which its owner
 * shares.
 */
public final class ModelDetectionService implements DetectionService {

  private static final String UPLOAD = "the uploaded image";

  private final Detector detector;
  private final ImageDecoder decoder;
  private final QueryEncoder pool;
  private final SearchService search;

  /**
   * @param detector finds the boxes
   * @param decoder decodes uploads, with the server's pixel limit
   * @param pool the server's inference pool, which the decoding and the detector run on
   * @param search answers the crops' image searches
   */
  public ModelDetectionService(
      Detector detector, ImageDecoder decoder, QueryEncoder pool, SearchService search) {
    this.detector = Objects.requireNonNull(detector, "detector");
    this.decoder = Objects.requireNonNull(decoder, "decoder");
    this.pool = Objects.requireNonNull(pool, "pool");
    this.search = Objects.requireNonNull(search, "search");
  }

  @Override
  public String detector() {
    return detector.name();
  }

  private record Found(DecodedImage image, List<Detection> detections, double decodeMs) {}

  @Override
  public ObjectDetection detect(DetectRequest request) {
    long start = System.nanoTime();
    Found found =
        pool.runOnModel(
            () -> {
              DecodedImage image = decoder.decode(request.image(), UPLOAD);
              double decodeMs = millis(start);
              return new Found(
                  image, detector.detect(image, request.labels(), request.options()), decodeMs);
            });
    double detectMs = millis(start) - found.decodeMs();
    long searchStart = System.nanoTime();
    List<DetectedObject> objects = new ArrayList<>(found.detections().size());
    for (Detection d : found.detections()) {
      List<Hit> hits = null;
      if (request.cropSearch() != null) {
        Optional<DecodedImage> crop = Crops.crop(found.image(), d.box());
        hits =
            crop.isEmpty()
                ? List.of()
                : search
                    .searchByImage(
                        new ImageSearch(DecodedImages.png(crop.get()), request.cropSearch()))
                    .hits();
      }
      objects.add(new DetectedObject(d.label(), d.score(), d.box(), hits));
    }
    double searchMs = request.cropSearch() == null ? 0 : millis(searchStart);
    return new ObjectDetection(
        found.image().width(),
        found.image().height(),
        detector.name(),
        objects,
        new DetectionTimings(found.decodeMs(), detectMs, searchMs, millis(start)));
  }

  private static double millis(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e6;
  }
}
