package dev.clipsearch.indexer.index.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.indexer.index.IndexSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;

/**
 * What a result page reads of each hit: the display fields from doc values where a segment has
 * them, the stored product JSON and image index in segments written before those doc values existed
 * (an index built by an earlier version and updated since holds both kinds), aligned with the
 * listed documents whatever their order and repeats.
 */
class PageFieldsTest {

  private static final long SEED = 20261203L;

  /** What each doc id must read as: a product's display JSON, or an image's catalog position. */
  private record Expected(String summary, int imageIndex) {}

  @Test
  void hits_read_doc_values_where_a_segment_has_them_and_stored_fields_where_it_does_not()
      throws IOException {
    try (Directory dir = new ByteBuffersDirectory()) {
      List<Expected> expected = new ArrayList<>();
      IndexWriterConfig config = new IndexWriterConfig().setMergePolicy(NoMergePolicy.INSTANCE);
      try (IndexWriter writer = new IndexWriter(dir, config)) {
        for (int segment = 0; segment < 4; segment++) {
          boolean withDocValues = segment % 2 == 1; // old, new, old, new
          for (int p = 0; p < 40; p++) {
            String id = "s" + segment + "p" + p;
            // An image at catalog position p + 1: positions and block order differ, as when an
            // earlier image failed.
            Document image = new Document();
            image.add(new StringField(IndexSchema.KIND, IndexSchema.KIND_IMAGE, Field.Store.NO));
            image.add(new StoredField(IndexSchema.IMAGE_INDEX, p + 1));
            Document product = new Document();
            product.add(
                new StringField(IndexSchema.KIND, IndexSchema.KIND_PRODUCT, Field.Store.NO));
            String full =
                "{\"id\":\"" + id + "\",\"title\":\"T " + id + "\",\"description\":\"d\"}";
            String summary = "{\"id\":\"" + id + "\",\"title\":\"T " + id + "\"}";
            product.add(new StoredField(IndexSchema.PRODUCT_JSON, full));
            if (withDocValues) {
              image.add(new NumericDocValuesField(IndexSchema.IMAGE_POSITION, p + 1));
              product.add(new BinaryDocValuesField(IndexSchema.HIT_SUMMARY, new BytesRef(summary)));
            }
            writer.addDocuments(List.of(image, product));
            expected.add(new Expected(null, p + 1));
            expected.add(new Expected(withDocValues ? summary : full, -1));
          }
          writer.flush();
        }
      }
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        assertEquals(4, reader.leaves().size(), "one segment per kind and round");
        StoredFields stored = reader.storedFields();
        SplittableRandom random = new SplittableRandom(SEED);
        for (int round = 0; round < 20; round++) {
          int[] products = new int[1 + random.nextInt(30)];
          int[] images = new int[products.length];
          for (int i = 0; i < products.length; i++) {
            int block = random.nextInt(reader.maxDoc() / 2);
            products[i] = 2 * block + 1;
            images[i] = 2 * block;
          }
          if (products.length > 1) {
            products[1] = products[0]; // a document listed twice
            images[1] = images[0];
          }
          String[] summaries = ProductReader.summaries(reader, stored, products);
          int[] positions = ProductReader.imageIndexes(reader, stored, images);
          for (int i = 0; i < products.length; i++) {
            assertEquals(expected.get(products[i]).summary(), summaries[i], "seed " + SEED);
            assertEquals(expected.get(images[i]).imageIndex(), positions[i], "seed " + SEED);
          }
        }
        int[] none = new int[0];
        assertArrayEquals(new String[0], ProductReader.summaries(reader, stored, none));
        assertTrue(ProductReader.imageIndexes(reader, stored, none).length == 0);
      }
    }
  }
}
