package dev.clipsearch.searcher.service;

import java.util.List;

/**
 * What a detection found.
 *
 * @param width the upright image's width in pixels (EXIF orientation applied)
 * @param height the upright image's height in pixels
 * @param detector the model or method that answered
 * @param detections best first
 * @param timings where the time went
 */
public record ObjectDetection(
    int width,
    int height,
    String detector,
    List<DetectedObject> detections,
    DetectionTimings timings) {

  public ObjectDetection {
    detections = List.copyOf(detections);
  }
}
