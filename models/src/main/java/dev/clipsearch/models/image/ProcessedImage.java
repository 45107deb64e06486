package dev.clipsearch.models.image;

import java.util.Objects;

/**
 * One decoded image, ready for the encoder.
 *
 * @param pixels the model's input: a CHW float tensor as the model's preprocessing defines it
 * @param width width of the decoded image (after EXIF orientation), in pixels
 * @param height height of the decoded image, in pixels
 * @param thumbnail a small JPEG for result lists, or null when thumbnails are off
 */
public record ProcessedImage(float[] pixels, int width, int height, byte[] thumbnail) {
  public ProcessedImage {
    Objects.requireNonNull(pixels, "pixels");
  }
}
