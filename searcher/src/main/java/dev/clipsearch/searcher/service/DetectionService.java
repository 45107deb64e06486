package dev.clipsearch.searcher.service;

/**
 * Zero-shot object detection on an uploaded photo, and optionally a product search for what each
 * box shows ("shop the look"), independent of HTTP. Thread-safe.
 *
 * <p>Throws {@link InvalidImageException} for an upload that is not a usable image and {@link
 * ServiceOverloadedException} when the model's queue is full, as {@link SearchService} does.
 */
public interface DetectionService {

  /** Finds the labelled objects in the request's image, best first. */
  ObjectDetection detect(DetectRequest request);

  /** What answers: the detection model's id or the method ({@code clip-regions:<model>}). */
  String detector();
}
