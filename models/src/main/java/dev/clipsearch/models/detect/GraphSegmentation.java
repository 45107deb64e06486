package dev.clipsearch.models.detect;

import java.util.Arrays;

/**
 * Felzenszwalb and Huttenlocher's graph-based image segmentation ("Efficient Graph-Based Image
 * Segmentation", IJCV 2004), the first stage of selective search: pixels are the nodes of an
 * 8-connected graph whose edge weights are colour distances; edges are taken in increasing weight
 * and two components merge when the edge is no heavier than both components' internal difference
 * plus {@code k / size}; components under a minimum size are finally merged into a neighbour.
 * Larger {@code k} gives larger segments. Pure and deterministic.
 */
public final class GraphSegmentation {

  private GraphSegmentation() {}

  /**
   * Segments an image given as planar float channels.
   *
   * @param channels {@code channels[c][y * width + x]}, already smoothed if wanted
   * @param width image width
   * @param height image height
   * @param k the scale parameter (the paper's k), > 0
   * @param minSize components smaller than this many pixels are merged into a neighbour
   * @return per pixel a segment label in {@code [0, segments)}, labels numbered in raster order of
   *     each segment's first pixel
   */
  public static int[] segment(float[][] channels, int width, int height, double k, int minSize) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("image size must be positive: " + width + " x " + height);
    }
    if (!(k > 0)) {
      throw new IllegalArgumentException("k must be > 0, got " + k);
    }
    int n = width * height;
    for (float[] channel : channels) {
      if (channel.length != n) {
        throw new IllegalArgumentException(
            "each channel must hold " + n + " values, got " + channel.length);
      }
    }
    // Edges to the right, down, down-right and up-right neighbours: every 8-neighbour pair once.
    int[] from = new int[4 * n];
    int[] to = new int[4 * n];
    long[] keys = new long[4 * n];
    int edges = 0;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int p = y * width + x;
        if (x + 1 < width) {
          edges = addEdge(channels, p, p + 1, from, to, keys, edges);
        }
        if (y + 1 < height) {
          edges = addEdge(channels, p, p + width, from, to, keys, edges);
        }
        if (x + 1 < width && y + 1 < height) {
          edges = addEdge(channels, p, p + width + 1, from, to, keys, edges);
        }
        if (x + 1 < width && y > 0) {
          edges = addEdge(channels, p, p - width + 1, from, to, keys, edges);
        }
      }
    }
    keys = Arrays.copyOf(keys, edges);
    Arrays.sort(keys); // by weight (non-negative float bits order like the floats), then index

    int[] parent = new int[n];
    int[] size = new int[n];
    float[] threshold = new float[n];
    for (int p = 0; p < n; p++) {
      parent[p] = p;
      size[p] = 1;
      threshold[p] = (float) k;
    }
    for (long key : keys) {
      int e = (int) key;
      float weight = Float.intBitsToFloat((int) (key >>> 32));
      int a = find(parent, from[e]);
      int b = find(parent, to[e]);
      if (a != b && weight <= threshold[a] && weight <= threshold[b]) {
        int root = union(parent, size, a, b);
        threshold[root] = (float) (weight + k / size[root]);
      }
    }
    for (long key : keys) {
      int e = (int) key;
      int a = find(parent, from[e]);
      int b = find(parent, to[e]);
      if (a != b && (size[a] < minSize || size[b] < minSize)) {
        union(parent, size, a, b);
      }
    }
    int[] labels = new int[n];
    int[] labelOfRoot = new int[n];
    Arrays.fill(labelOfRoot, -1);
    int next = 0;
    for (int p = 0; p < n; p++) {
      int root = find(parent, p);
      if (labelOfRoot[root] < 0) {
        labelOfRoot[root] = next++;
      }
      labels[p] = labelOfRoot[root];
    }
    return labels;
  }

  private static int addEdge(
      float[][] channels, int p, int q, int[] from, int[] to, long[] keys, int edges) {
    double sum = 0;
    for (float[] c : channels) {
      double d = c[p] - c[q];
      sum += d * d;
    }
    from[edges] = p;
    to[edges] = q;
    keys[edges] = ((long) Float.floatToIntBits((float) Math.sqrt(sum)) << 32) | edges;
    return edges + 1;
  }

  private static int find(int[] parent, int p) {
    int root = p;
    while (parent[root] != root) {
      root = parent[root];
    }
    while (parent[p] != root) {
      int next = parent[p];
      parent[p] = root;
      p = next;
    }
    return root;
  }

  /** Union by size; returns the new root. */
  private static int union(int[] parent, int[] size, int a, int b) {
    if (size[a] < size[b]) {
      int t = a;
      a = b;
      b = t;
    }
    parent[b] = a;
    size[a] += size[b];
    return a;
  }

  /** A separable Gaussian blur of one channel (edges clamped), as the paper smooths first. */
  public static float[] gaussianBlur(float[] channel, int width, int height, double sigma) {
    if (sigma <= 0) {
      return channel.clone();
    }
    int radius = (int) Math.ceil(4 * sigma);
    float[] kernel = new float[2 * radius + 1];
    double sum = 0;
    for (int i = -radius; i <= radius; i++) {
      kernel[i + radius] = (float) Math.exp(-(i * i) / (2 * sigma * sigma));
      sum += kernel[i + radius];
    }
    for (int i = 0; i < kernel.length; i++) {
      kernel[i] /= (float) sum;
    }
    float[] tmp = new float[channel.length];
    float[] out = new float[channel.length];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        float v = 0;
        for (int i = -radius; i <= radius; i++) {
          int xx = Math.clamp(x + i, 0, width - 1);
          v += kernel[i + radius] * channel[y * width + xx];
        }
        tmp[y * width + x] = v;
      }
    }
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        float v = 0;
        for (int i = -radius; i <= radius; i++) {
          int yy = Math.clamp(y + i, 0, height - 1);
          v += kernel[i + radius] * tmp[yy * width + x];
        }
        out[y * width + x] = v;
      }
    }
    return out;
  }
}
