package dev.clipsearch.models.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class VectorsTest {

  @Test
  void mean_pooling_averages_only_the_tokens_before_the_padding() {
    // 2 items x 3 tokens x 2 wide; item 1 has 2 real tokens and one padding row of 100s
    float[] hidden = {0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 100, 100};
    assertArrayEquals(new float[] {2, 3}, Vectors.meanPool(hidden, 1, 3, 2, 2));
    assertArrayEquals(new float[] {0, 0}, Vectors.meanPool(hidden, 0, 3, 2, 3));
    assertThrows(IllegalArgumentException.class, () -> Vectors.meanPool(hidden, 0, 3, 2, 0));
  }

  @Test
  void projection_is_the_row_vector_times_the_row_major_matrix() {
    // W = [[1, 2, 3], [4, 5, 6]]: [1, 10] · W = [41, 52, 63]
    float[] w = {1, 2, 3, 4, 5, 6};
    assertArrayEquals(new float[] {41, 52, 63}, Vectors.project(new float[] {1, 10}, w, 3));
    assertThrows(
        IllegalArgumentException.class, () -> Vectors.project(new float[] {1, 2, 3}, w, 3));
  }

  @Test
  void normalization_gives_unit_length_and_leaves_zero_vectors_alone() {
    float[] v = Vectors.l2Normalize(new float[] {3, 4});
    assertArrayEquals(new float[] {0.6f, 0.8f}, v, 1e-7f);
    assertArrayEquals(new float[] {0, 0}, Vectors.l2Normalize(new float[] {0, 0}));
  }

  @Test
  void batches_follow_a_fixed_batch_axis_and_otherwise_the_callers_size() {
    assertEquals(8, new Batches(8, 0).chunk());
    assertEquals(3, new Batches(8, 0).rows(3));
    assertEquals(1, new Batches(8, 1).chunk());
    assertEquals(4, new Batches(2, 4).rows(3), "a fixed batch of 4 is always sent whole");
  }
}
