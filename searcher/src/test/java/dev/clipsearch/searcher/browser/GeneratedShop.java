package dev.clipsearch.searcher.browser;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A small shop for the browser tests: 36 products (six kinds in six colours, four brands), each
 * with one or two drawn pictures, written as a JSON Lines catalog beside an {@code images/} folder,
 * exactly what {@code clipsearch index} reads. Prices and picture details come from {@link #SEED}.
 */
final class GeneratedShop {

  /** Seed of prices and picture details. */
  static final long SEED = 20_251_128L;

  /** Side of the generated pictures, in pixels. */
  static final int PICTURE_SIZE = 256;

  static final List<String> BRANDS = List.of("Acme", "Northwind", "Hatco", "Lumo");

  private record Kind(String noun, String category, int shape) {}

  private record Colour(String name, Color color) {}

  private static final List<Kind> KINDS =
      List.of(
          new Kind("sneaker", "Clothing > Shoes > Sneakers", 0),
          new Kind("boot", "Clothing > Shoes > Boots", 1),
          new Kind("hat", "Clothing > Hats", 2),
          new Kind("mug", "Home > Kitchen", 3),
          new Kind("lamp", "Home > Lighting", 4),
          new Kind("kite", "Toys > Outdoor", 5));

  private static final List<Colour> COLOURS =
      List.of(
          new Colour("red", new Color(0xD6, 0x2D, 0x2D)),
          new Colour("blue", new Color(0x2D, 0x5B, 0xD6)),
          new Colour("green", new Color(0x2E, 0x9E, 0x4F)),
          new Colour("yellow", new Color(0xF2, 0xC1, 0x2E)),
          new Colour("black", new Color(0x22, 0x22, 0x22)),
          new Colour("white", new Color(0xF4, 0xF4, 0xF4)));

  /**
   * One generated product.
   *
   * @param id product id
   * @param title title, e.g. "Red sneaker"
   * @param brand brand
   * @param category category path
   * @param price price in EUR
   * @param images picture files, relative to the catalog's folder
   */
  record Item(
      String id, String title, String brand, String category, double price, List<String> images) {}

  private GeneratedShop() {}

  /** The catalog file inside {@code dir}. */
  static Path catalog(Path dir) {
    return dir.resolve("catalog.jsonl");
  }

  /** Writes the catalog and its pictures into {@code dir} and returns the products. */
  static List<Item> write(Path dir) throws IOException {
    Random random = new Random(SEED);
    Files.createDirectories(dir.resolve("images"));
    List<Item> items = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    try (Writer out = Files.newBufferedWriter(catalog(dir), StandardCharsets.UTF_8)) {
      for (int k = 0; k < KINDS.size(); k++) {
        for (int c = 0; c < COLOURS.size(); c++) {
          Kind kind = KINDS.get(k);
          Colour colour = COLOURS.get(c);
          String id = "p-" + colour.name() + "-" + kind.noun();
          String title = capitalize(colour.name()) + " " + kind.noun();
          String brand = BRANDS.get((k + 2 * c) % BRANDS.size());
          double price = (500 + random.nextInt(9_500)) / 100.0;
          int pictures = c % 2 == 0 ? 2 : 1;
          List<String> images = new ArrayList<>();
          for (int n = 0; n < pictures; n++) {
            String file = "images/" + id + "-" + n + ".png";
            Files.write(dir.resolve(file), picture(kind.shape(), colour.color(), n, random));
            images.add(file);
          }
          Map<String, Object> line = new LinkedHashMap<>();
          line.put("id", id);
          line.put("title", title);
          line.put(
              "description",
              "A " + colour.name() + " " + kind.noun() + " by " + brand + ", drawn for the tests.");
          line.put("brand", brand);
          line.put("category", kind.category());
          line.put("price", price);
          line.put("currency", "EUR");
          line.put("tags", c < 2 ? List.of("sale", colour.name()) : List.of(colour.name()));
          line.put("images", images);
          line.put("material", k < 3 ? "textile" : "ceramic");
          out.write(json.writeValueAsString(line));
          out.write('\n');
          items.add(new Item(id, title, brand, kind.category(), price, List.copyOf(images)));
        }
      }
    }
    return List.copyOf(items);
  }

  /** A PNG: a soft background and one shape per kind in the product's colour. */
  static byte[] picture(int shape, Color colour, int variant, Random random) {
    int s = PICTURE_SIZE;
    BufferedImage image = new BufferedImage(s, s, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      Color top = variant == 0 ? new Color(0xEE, 0xF1, 0xF5) : new Color(0xFB, 0xEE, 0xDD);
      Color bottom = variant == 0 ? new Color(0xD5, 0xDB, 0xE3) : new Color(0xE9, 0xD2, 0xB4);
      g.setPaint(new GradientPaint(0, 0, top, 0, s, bottom));
      g.fillRect(0, 0, s, s);
      int jitter = random.nextInt(24) - 12;
      int m = s / 2 + jitter;
      g.setColor(colour);
      switch (shape) {
        case 0 -> g.fill(new Ellipse2D.Double(40, m - 40, s - 80, 90));
        case 1 -> g.fillRect(70, 50 + jitter, 110, 160);
        case 2 ->
            g.fillPolygon(new Polygon(new int[] {40, s / 2, s - 40}, new int[] {190, 50, 190}, 3));
        case 3 -> g.fill(new RoundRectangle2D.Double(60, 60 + jitter, 120, 140, 30, 30));
        case 4 ->
            g.fillPolygon(
                new Polygon(new int[] {80, s - 80, s - 40, 40}, new int[] {40, 40, 150, 150}, 4));
        default ->
            g.fillPolygon(
                new Polygon(new int[] {s / 2, s - 40, s / 2, 40}, new int[] {30, m, s - 30, m}, 4));
      }
      g.setColor(new Color(0, 0, 0, 90));
      g.setStroke(new BasicStroke(3f));
      g.drawLine(30, s - 24, s - 30, s - 24 - variant * 10);
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static String capitalize(String word) {
    return word.substring(0, 1).toUpperCase(Locale.ROOT) + word.substring(1);
  }
}
