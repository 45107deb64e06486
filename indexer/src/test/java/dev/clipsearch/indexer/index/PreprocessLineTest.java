package dev.clipsearch.indexer.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.clipsearch.models.image.PreprocessConfig;
import org.junit.jupiter.api.Test;

/**
 * The one-line preprocessing a store records: CLIP's line is unchanged (indexes written before
 * SigLIP still open), SigLIP's squash is recorded, and both read back to the same config.
 */
class PreprocessLineTest {

  private static final float[] HALF = {0.5f, 0.5f, 0.5f};

  @Test
  void clips_line_is_unchanged_and_reads_back() {
    String line = IndexMetadata.formatPreprocess(PreprocessConfig.CLIP);
    assertEquals(
        "size=224;mean=0.48145467,0.4578275,0.40821072;std=0.26862955,0.2613026,0.2757771", line);
    assertEquals(PreprocessConfig.CLIP, IndexMetadata.parsePreprocess(line));
  }

  @Test
  void a_squash_resize_is_recorded_and_read_back() {
    PreprocessConfig siglip = new PreprocessConfig(224, HALF, HALF, PreprocessConfig.Resize.SQUASH);
    String line = IndexMetadata.formatPreprocess(siglip);
    assertEquals("size=224;mean=0.5,0.5,0.5;std=0.5,0.5,0.5;resize=squash", line);
    assertEquals(siglip, IndexMetadata.parsePreprocess(line));
    assertNotEquals(IndexMetadata.parsePreprocess(line), new PreprocessConfig(224, HALF, HALF));
  }

  @Test
  void an_unknown_resize_is_refused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> IndexMetadata.parsePreprocess("size=224;mean=0.5,0.5,0.5;std=0.5,0.5,0.5;resize=x"));
  }
}
