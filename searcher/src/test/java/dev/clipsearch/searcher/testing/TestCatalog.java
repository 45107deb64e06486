package dev.clipsearch.searcher.testing;

import dev.clipsearch.common.catalog.Product;
import dev.clipsearch.common.catalog.ProductJson;
import dev.clipsearch.indexer.index.CatalogIndex;
import dev.clipsearch.indexer.index.IndexSettings;
import dev.clipsearch.indexer.store.IndexedImage;
import dev.clipsearch.indexer.store.IndexedProduct;
import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.image.ImageDecodeException;
import dev.clipsearch.models.image.ImageProcessor;
import dev.clipsearch.models.image.ProcessedImage;
import dev.clipsearch.models.testing.Colors;
import dev.clipsearch.models.testing.FakeClipModel;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes small test indexes with the indexer's own {@link CatalogIndex}: products whose images are
 * solid colours, encoded by the {@link FakeClipModel} exactly as a query image would be.
 */
public final class TestCatalog {

  private TestCatalog() {}

  /** Eight products of a small shop, one or two solid-colour images each. */
  public static final List<Item> SHOP =
      List.of(
          item(
              "p-red-shoe",
              "Red running shoe",
              "Acme",
              "Clothing > Shoes > Sneakers",
              59.0,
              List.of("sale", "running"),
              "red"),
          item(
              "p-blue-shoe",
              "Blue running shoe",
              "Acme",
              "Clothing > Shoes > Sneakers",
              65.0,
              List.of("running"),
              "blue"),
          item("p-red-hat", "Red wool hat", "Hatco", "Clothing > Hats", 19.0, List.of(), "red"),
          item(
              "p-kite",
              "Green and yellow kite",
              "Skyco",
              "Toys > Outdoor",
              25.0,
              List.of(),
              "green",
              "yellow"),
          item(
              "p-black-mug",
              "Black coffee mug",
              "Mugs Inc",
              "Home > Kitchen",
              9.5,
              List.of("sale"),
              "black"),
          item(
              "p-white-mug",
              "White coffee mug",
              "Mugs Inc",
              "Home > Kitchen",
              8.0,
              List.of(),
              "white"),
          item("p-lamp", "Desk lamp", "Lumo", "Home > Lighting", null, List.of(), "purple"),
          item("p-ball", "Beach ball", "Skyco", "Toys > Outdoor", 5.0, List.of("sale"), "orange"));

  /**
   * A test product.
   *
   * @param colours one image per colour name, or a relative file path when it contains a dot
   */
  public record Item(
      String id,
      String title,
      String description,
      String brand,
      String category,
      Double price,
      List<String> tags,
      List<String> colours) {}

  public static Item item(
      String id,
      String title,
      String brand,
      String category,
      Double price,
      List<String> tags,
      String... colours) {
    return new Item(id, title, null, brand, category, price, tags, Arrays.asList(colours));
  }

  /** Creates (or adds to) the index in {@code dir} and commits. */
  public static void write(Path dir, FakeClipModel model, List<Item> items) throws IOException {
    write(dir, model, new FakeImageProcessor(1L << 26, true), items);
  }

  /** As {@link #write(Path, FakeClipModel, List)} with any model and decode stage. */
  public static void write(Path dir, ClipModel model, ImageProcessor processor, List<Item> items)
      throws IOException {
    try (CatalogIndex index =
        CatalogIndex.openOrCreate(dir, model.spec(), IndexSettings.DEFAULTS)) {
      for (Item item : items) {
        index.upsert(indexed(item, model, processor));
      }
      index.commit("test catalog");
    }
  }

  /** The indexed form of an item. */
  public static IndexedProduct indexed(Item item, ClipModel model, ImageProcessor processor) {
    List<String> refs = new ArrayList<>();
    List<IndexedImage> images = new ArrayList<>();
    for (int i = 0; i < item.colours().size(); i++) {
      String colour = item.colours().get(i);
      String ref = colour.contains(".") ? colour : "images/" + colour + ".png";
      String name = colour.contains(".") ? colour.substring(0, colour.indexOf('.')) : colour;
      ProcessedImage image;
      try {
        image = processor.process(Colors.png(name), ref);
      } catch (ImageDecodeException e) {
        throw new IllegalStateException(e);
      }
      float[] vector = model.encodeImages(List.of(image.pixels()))[0];
      refs.add(ref);
      images.add(
          new IndexedImage(
              i,
              ref,
              "fp-" + ref,
              "sha-" + ref,
              vector,
              image.width(),
              image.height(),
              image.thumbnail()));
    }
    Product product =
        new Product(
            item.id(),
            item.title(),
            item.description(),
            item.brand(),
            item.category(),
            item.price() == null ? null : BigDecimal.valueOf(item.price()),
            item.price() == null ? null : "EUR",
            item.tags(),
            null,
            refs,
            Map.of());
    return new IndexedProduct(
        product, ProductJson.canonical(product), new byte[32], "test", images, List.of());
  }
}
