package dev.clipsearch.searcher.bench;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Seeded random unit vectors, written as raw little-endian float32 rows so another program (FAISS)
 * can read exactly the same vectors. Two kinds: uniform on the sphere (Gaussian, then
 * L2-normalized), the hardest case for a graph index since nothing is closer to anything; and
 * clustered (a random centre plus Gaussian noise, normalized), closer to real embeddings, where
 * products of one kind sit together.
 */
final class RandomVectors {

  private RandomVectors() {}

  static float[][] generate(int count, int dimension, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[][] out = new float[count][dimension];
    for (float[] v : out) {
      double norm = 0;
      for (int i = 0; i < dimension; i++) {
        // Box-Muller from the splittable generator: fast and reproducible across threads.
        double u1 = random.nextDouble();
        double u2 = random.nextDouble();
        double g = Math.sqrt(-2 * Math.log(u1 == 0 ? 1e-300 : u1)) * Math.cos(2 * Math.PI * u2);
        v[i] = (float) g;
        norm += g * g;
      }
      float scale = (float) (1 / Math.sqrt(norm));
      for (int i = 0; i < dimension; i++) {
        v[i] *= scale;
      }
    }
    return out;
  }

  /**
   * Clustered unit vectors: {@code centres} random centres (drawn from {@code centreSeed}, so base
   * vectors and queries share them), each vector a centre plus noise of norm about {@code spread},
   * normalized. With spread 1 a vector's cosine to its centre is about 0.7.
   */
  static float[][] clustered(
      int count, int dimension, long seed, int centres, long centreSeed, double spread) {
    float[][] centre = generate(centres, dimension, centreSeed);
    float[][] noise = generate(count, dimension, seed);
    SplittableRandom pick = new SplittableRandom(seed ^ 0x5DEECE66DL);
    float[][] out = new float[count][dimension];
    for (int v = 0; v < count; v++) {
      float[] c = centre[pick.nextInt(centres)];
      double norm = 0;
      for (int i = 0; i < dimension; i++) {
        out[v][i] = (float) (c[i] + spread * noise[v][i]);
        norm += out[v][i] * out[v][i];
      }
      float scale = (float) (1 / Math.sqrt(norm));
      for (int i = 0; i < dimension; i++) {
        out[v][i] *= scale;
      }
    }
    return out;
  }

  static void write(float[][] vectors, Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    ByteBuffer row = ByteBuffer.allocate(vectors[0].length * 4).order(ByteOrder.LITTLE_ENDIAN);
    try (OutputStream out =
        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 20))) {
      for (float[] v : vectors) {
        row.clear();
        row.asFloatBuffer().put(v);
        out.write(row.array());
      }
    }
  }
}
