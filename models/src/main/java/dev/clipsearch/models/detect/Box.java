package dev.clipsearch.models.detect;

/**
 * An axis-aligned box in pixels of the upright original image: left, top, right, bottom, the way
 * Hugging Face's detection post-processing reports them. Not clipped to the image (the reference
 * does not clip); use {@link #clip} for drawing or cropping.
 *
 * @param x0 left
 * @param y0 top
 * @param x1 right
 * @param y1 bottom
 */
public record Box(double x0, double y0, double x1, double y1) {

  /** The box of a centre, width and height. */
  public static Box ofCenter(double cx, double cy, double width, double height) {
    return new Box(cx - 0.5 * width, cy - 0.5 * height, cx + 0.5 * width, cy + 0.5 * height);
  }

  /** Width, 0 when the box is inverted. */
  public double width() {
    return Math.max(0, x1 - x0);
  }

  /** Height, 0 when the box is inverted. */
  public double height() {
    return Math.max(0, y1 - y0);
  }

  /** Area, 0 when the box is empty or inverted. */
  public double area() {
    return width() * height();
  }

  /** Intersection over union with {@code other}; 0 when both are empty. */
  public double iou(Box other) {
    double iw = Math.min(x1, other.x1) - Math.max(x0, other.x0);
    double ih = Math.min(y1, other.y1) - Math.max(y0, other.y0);
    if (iw <= 0 || ih <= 0) {
      return 0;
    }
    double inter = iw * ih;
    double union = area() + other.area() - inter;
    return union > 0 ? inter / union : 0;
  }

  /** This box limited to a {@code width} x {@code height} image. */
  public Box clip(int width, int height) {
    return new Box(
        Math.clamp(x0, 0, width),
        Math.clamp(y0, 0, height),
        Math.clamp(x1, 0, width),
        Math.clamp(y1, 0, height));
  }
}
