package dev.clipsearch.indexer.tag;

import dev.clipsearch.common.catalog.ProductJson;
import dev.clipsearch.indexer.store.CatalogStore;
import dev.clipsearch.indexer.store.IndexedImage;
import dev.clipsearch.indexer.store.IndexedProduct;
import dev.clipsearch.indexer.store.StoreSnapshot;
import dev.clipsearch.indexer.store.StoredProduct;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * Tags every product of a store ({@code clipsearch tag}): reads each product's stored image
 * vectors, chooses its attributes with an {@link AttributeTagger}, and writes the product again
 * when its attributes changed. Every attribute a product had before is replaced, so values and
 * attributes no longer in the file disappear. No image is decoded or encoded.
 */
public final class CatalogTagger {

  /** Changed products written between two commits. */
  public static final int COMMIT_EVERY = 5000;

  private CatalogTagger() {}

  /**
   * What a run did.
   *
   * @param products products read
   * @param changed products written again because their attributes changed
   * @param imageVectors stored image vectors used (no image was encoded)
   * @param values per attribute (file order), how many products got each value
   * @param leftOut per attribute, how many products got no value (below the floor or the margin)
   */
  public record Result(
      long products,
      long changed,
      long imageVectors,
      Map<String, Map<String, Long>> values,
      Map<String, Long> leftOut) {}

  /**
   * Tags every product of {@code store} and commits with {@code runState}.
   *
   * @param progress told of every product read (1 each call)
   * @param total told the number of products before the first is read
   */
  public static Result run(
      CatalogStore store,
      AttributeTagger tagger,
      String runState,
      LongConsumer total,
      LongConsumer progress)
      throws IOException {
    Map<String, Map<String, Long>> values = new LinkedHashMap<>();
    Map<String, Long> leftOut = new LinkedHashMap<>();
    for (AttributeSpec spec : tagger.attributes()) {
      values.put(spec.name(), new TreeMap<>());
      leftOut.put(spec.name(), 0L);
    }
    long products = 0;
    long changed = 0;
    long vectors = 0;
    long uncommitted = 0;
    try (StoreSnapshot snapshot = store.snapshot()) {
      List<String> ids = new ArrayList<>();
      snapshot.forEachProductId(ids::add);
      ids.sort(null);
      total.accept(ids.size());
      for (String id : ids) {
        StoredProduct stored = snapshot.find(id);
        if (stored == null) {
          continue;
        }
        List<IndexedImage> images = stored.images();
        List<float[]> imageVectors = new ArrayList<>(images.size());
        for (IndexedImage image : images) {
          imageVectors.add(image.vector());
        }
        vectors += imageVectors.size();
        Map<String, String> tags = tagger.tag(imageVectors);
        for (AttributeSpec spec : tagger.attributes()) {
          String value = tags.get(spec.name());
          if (value == null) {
            leftOut.merge(spec.name(), 1L, Long::sum);
          } else {
            values.get(spec.name()).merge(value, 1L, Long::sum);
          }
        }
        if (!new TreeMap<>(tags).equals(new TreeMap<>(stored.facetAttributes()))) {
          store.upsert(rebuilt(stored, images, tags));
          changed++;
          if (++uncommitted >= COMMIT_EVERY) {
            store.commit(runState);
            uncommitted = 0;
          }
        }
        products++;
        progress.accept(1);
      }
    }
    store.commit(runState);
    return new Result(products, changed, vectors, values, leftOut);
  }

  /** The stored product as it was written, with other attributes. */
  private static IndexedProduct rebuilt(
      StoredProduct stored, List<IndexedImage> images, Map<String, String> tags)
      throws IOException {
    String json = stored.json();
    return new IndexedProduct(
        ProductJson.read(json),
        json,
        stored.syncKey(),
        stored.contentHash(),
        images,
        stored.imageErrors(),
        tags);
  }
}
