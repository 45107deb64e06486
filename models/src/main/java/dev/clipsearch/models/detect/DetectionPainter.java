package dev.clipsearch.models.detect;

import dev.clipsearch.models.image.DecodedImage;
import dev.clipsearch.models.image.DecodedImages;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * Draws detections on a copy of a photo with Java2D: each box outlined in its label's colour, with
 * a tag holding the label and the score. Line width and font scale with the image, so the drawing
 * reads on a thumbnail and on a 4000-pixel photo alike. The photo itself is not changed.
 */
public final class DetectionPainter {

  /** Colours by label index, distinct on light and dark photos. */
  private static final Color[] PALETTE = {
    new Color(230, 25, 75),
    new Color(60, 180, 75),
    new Color(0, 130, 200),
    new Color(245, 130, 48),
    new Color(145, 30, 180),
    new Color(70, 240, 240),
    new Color(240, 50, 230),
    new Color(210, 245, 60),
  };

  private DetectionPainter() {}

  /** A copy of {@code image} (RGB) with the detections drawn on it. */
  public static BufferedImage paint(DecodedImage image, List<Detection> detections) {
    BufferedImage source = DecodedImages.toBufferedImage(image);
    BufferedImage out =
        new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.drawImage(source, 0, 0, null);
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      int side = Math.min(image.width(), image.height());
      float stroke = Math.max(2f, side / 200f);
      g.setStroke(new BasicStroke(stroke));
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(11, side / 30)));
      FontMetrics metrics = g.getFontMetrics();
      for (Detection d : detections) {
        Box box = d.box().clip(image.width(), image.height());
        Color colour = PALETTE[Math.floorMod(d.labelIndex(), PALETTE.length)];
        int x = (int) Math.round(box.x0());
        int y = (int) Math.round(box.y0());
        int w = (int) Math.round(box.width());
        int h = (int) Math.round(box.height());
        g.setColor(colour);
        g.drawRect(x, y, w, h);
        String tag = String.format(Locale.ROOT, "%s %.2f", d.label(), d.score());
        int tagWidth = metrics.stringWidth(tag) + 6;
        int tagHeight = metrics.getHeight();
        int tagY = y - tagHeight >= 0 ? y - tagHeight : y;
        g.fillRect(x, tagY, tagWidth, tagHeight);
        g.setColor(luminance(colour) > 150 ? Color.BLACK : Color.WHITE);
        g.drawString(tag, x + 3, tagY + metrics.getAscent());
      }
    } finally {
      g.dispose();
    }
    return out;
  }

  private static double luminance(Color c) {
    return 0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue();
  }
}
