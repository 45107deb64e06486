package dev.clipsearch.searcher.audit;

import dev.clipsearch.common.catalog.Product;
import dev.clipsearch.common.catalog.ProductJson;
import dev.clipsearch.indexer.index.CatalogIndex;
import dev.clipsearch.indexer.index.IndexSettings;
import dev.clipsearch.indexer.store.IndexedImage;
import dev.clipsearch.indexer.store.IndexedProduct;
import dev.clipsearch.models.testing.Colors;
import dev.clipsearch.models.testing.FakeClipModel;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * A small index with one problem of each kind the audit looks for, on {@link FakeClipModel}'s
 * colour geometry, where a colour word in a prompt points at the images of that colour: products in
 * colour categories ({@code Paint > Red}…) whose images are their colour plus a direction of their
 * own, so that no two products' images are alike unless planted.
 *
 * <ul>
 *   <li>{@link #MISFILED} is red but filed under {@code Paint > Blue};
 *   <li>{@link #COPIES}: one image of {@code p-green-1} copied onto two other products;
 *   <li>{@link #BLANK} has a plain white image (the prompt "a white empty square" points at it).
 * </ul>
 */
public final class AuditTestCatalog {

  public static final String MISFILED = "p-misfiled";
  public static final Set<String> COPIES = Set.of("p-green-1#0", "p-copy-a#1", "p-copy-b#1");
  public static final String BLANK = "p-blank#0";
  public static final int PRODUCTS = 12;

  private AuditTestCatalog() {}

  /** Writes the catalog into a new index in {@code dir}. */
  public static void write(Path dir, FakeClipModel model) throws IOException {
    float[] copied = image(model, "green", "p-green-1");
    List<IndexedProduct> products =
        List.of(
            product(
                model, "p-red-1", "Red paint tin", "Paint > Red", image(model, "red", "p-red-1")),
            product(
                model, "p-red-2", "Red paint pot", "Paint > Red", image(model, "red", "p-red-2")),
            product(
                model,
                "p-blue-1",
                "Blue paint tin",
                "Paint > Blue",
                image(model, "blue", "p-blue-1")),
            product(
                model,
                "p-blue-2",
                "Blue paint pot",
                "Paint > Blue",
                image(model, "blue", "p-blue-2")),
            product(model, "p-green-1", "Green paint tin", "Paint > Green", copied),
            product(
                model,
                "p-green-2",
                "Green paint pot",
                "Paint > Green",
                image(model, "green", "p-green-2")),
            product(
                model,
                "p-yellow-1",
                "Yellow paint tin",
                "Paint > Yellow",
                image(model, "yellow", "p-yellow-1")),
            product(
                model,
                "p-yellow-2",
                "Yellow paint pot",
                "Paint > Yellow",
                image(model, "yellow", "p-yellow-2")),
            product(model, MISFILED, "Paint bucket", "Paint > Blue", image(model, "red", MISFILED)),
            product(
                model,
                "p-copy-a",
                "Green paint can",
                "Paint > Green",
                image(model, "green", "p-copy-a"),
                copied),
            product(
                model,
                "p-copy-b",
                "Yellow paint can",
                "Paint > Yellow",
                image(model, "yellow", "p-copy-b"),
                copied),
            product(model, "p-blank", "Blue paint tray", "Paint > Blue", colour(model, "white")));
    try (CatalogIndex index =
        CatalogIndex.openOrCreate(dir, model.spec(), IndexSettings.DEFAULTS)) {
      for (IndexedProduct p : products) {
        index.upsert(p);
      }
      index.commit("audit test catalog");
    }
  }

  /** The pure vector of a named colour: what a solid image of it encodes to. */
  static float[] colour(FakeClipModel model, String name) {
    Color c = Colors.NAMED.get(name);
    return model.colourVector(c.getRed() / 255f, c.getGreen() / 255f, c.getBlue() / 255f);
  }

  /** A product photo: the colour's direction plus one of the product's own, normalized. */
  static float[] image(FakeClipModel model, String colour, String id) {
    float[] c = colour(model, colour);
    // One word of its own (the fake adds up word directions, so no shared word parts).
    float[] own = model.textVector("own" + id.replaceAll("[^a-z0-9]", ""));
    float[] v = new float[c.length];
    double norm = 0;
    for (int i = 0; i < v.length; i++) {
      v[i] = c[i] + 0.8f * own[i];
      norm += v[i] * v[i];
    }
    for (int i = 0; i < v.length; i++) {
      v[i] /= (float) Math.sqrt(norm);
    }
    return v;
  }

  private static IndexedProduct product(
      FakeClipModel model, String id, String title, String category, float[]... vectors) {
    List<String> refs = new ArrayList<>();
    List<IndexedImage> images = new ArrayList<>();
    for (int i = 0; i < vectors.length; i++) {
      String ref = "images/" + id + "-" + i + ".jpg";
      refs.add(ref);
      images.add(
          new IndexedImage(
              i, ref, "fp-" + ref, "sha-" + ref, vectors[i], 64, 64, thumbnail(vectors[i])));
    }
    Product product =
        new Product(id, title, null, "Acme", category, null, null, List.of(), null, refs, Map.of());
    return new IndexedProduct(
        product, ProductJson.canonical(product), new byte[32], "test", images, List.of());
  }

  /** A small JPEG, its shade derived from the vector: copies look alike in the report. */
  private static byte[] thumbnail(float[] vector) {
    BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
    int rgb = java.util.Arrays.hashCode(vector) & 0xFFFFFF;
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        image.setRGB(x, y, rgb);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "jpg", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
