package dev.clipsearch.models.detect;

import dev.clipsearch.models.image.BicubicResizer;
import dev.clipsearch.models.image.DecodedImage;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;

/**
 * Selective search region proposals (Uijlings et al., "Selective Search for Object Recognition",
 * IJCV 2013), the class-agnostic proposals detectors used before learned ones: the image is
 * over-segmented by {@link GraphSegmentation} in several colour spaces (RGB, CIELAB) and at several
 * scales k; in each segmentation the two most similar adjacent regions are merged, again and again
 * until one region is left, by the sum of the paper's colour (25-bin histograms per channel),
 * texture (gradient orientation x magnitude histograms), size and fill similarities; each strategy
 * uses all four or leaves colour out. The bounding box of every region of every hierarchy is a
 * proposal. Proposals are ranked as in the paper (a region's position in its hierarchy, counted
 * from the top, times a seeded random number in [0, 1)), near-duplicates (IoU above {@link
 * Config#dedupeIou}) and boxes smaller than {@link Config#minSideFraction} of the short side are
 * dropped, and at most {@link Config#maxProposals} are kept.
 *
 * <p>The image is first downscaled so that its long side is at most {@link Config#workingSide}:
 * proposals are coarse anyway, and a 640 x 480 photo takes a few tens of milliseconds. Boxes are in
 * pixels of the image given. Pure and deterministic; thread-safe.
 */
public final class SelectiveSearch {

  private static final int COLOUR_BINS = 25;
  private static final int ORIENTATIONS = 8;
  private static final int MAGNITUDE_BINS = 10;

  /**
   * How proposals are made.
   *
   * @param workingSide the long side the image is downscaled to first (if larger)
   * @param ks the segmentation scales k (in colour units of 0 to 255 channels)
   * @param sigma the Gaussian smoothing before segmentation
   * @param minSideFraction drop boxes whose width or height is below this fraction of the short
   *     side
   * @param dedupeIou drop a box overlapping a better-ranked kept one by more than this
   * @param maxProposals keep at most this many, best-ranked first
   * @param seed the seed of the ranking's random numbers
   */
  public record Config(
      int workingSide,
      double[] ks,
      double sigma,
      double minSideFraction,
      double dedupeIou,
      int maxProposals,
      long seed) {

    public Config {
      if (workingSide < 16) {
        throw new IllegalArgumentException("working side must be >= 16, got " + workingSide);
      }
      ks = ks.clone();
      if (ks.length == 0) {
        throw new IllegalArgumentException("at least one segmentation scale k is needed");
      }
      for (double k : ks) {
        if (!(k > 0)) {
          throw new IllegalArgumentException("segmentation scales must be > 0, got " + k);
        }
      }
      if (!(sigma >= 0)) {
        throw new IllegalArgumentException("sigma must be >= 0, got " + sigma);
      }
      if (!(minSideFraction >= 0 && minSideFraction < 1)) {
        throw new IllegalArgumentException(
            "min side fraction must be in [0, 1), got " + minSideFraction);
      }
      if (!(dedupeIou > 0 && dedupeIou <= 1)) {
        throw new IllegalArgumentException("dedupe IoU must be in (0, 1], got " + dedupeIou);
      }
      if (maxProposals < 1) {
        throw new IllegalArgumentException("max proposals must be >= 1, got " + maxProposals);
      }
    }

    /**
     * 200 px working side, k 100 and 200 (the paper's fast mode uses two), sigma 0.5 (the downscale
     * has already smoothed).
     */
    public static Config defaults() {
      return new Config(200, new double[] {100, 200}, 0.5, 0.08, 0.9, 300, 13L);
    }

    /** This configuration with another cap. */
    public Config withMaxProposals(int value) {
      return new Config(workingSide, ks, sigma, minSideFraction, dedupeIou, value, seed);
    }

    @Override
    public double[] ks() {
      return ks.clone();
    }
  }

  private SelectiveSearch() {}

  /** The proposals for {@code image}, best-ranked first, in its pixels. */
  public static List<Box> proposals(DecodedImage image, Config config) {
    double scale = 1;
    DecodedImage working = image;
    int longSide = Math.max(image.width(), image.height());
    if (longSide > config.workingSide()) {
      scale = (double) longSide / config.workingSide();
      working =
          BicubicResizer.resize(
              image,
              Math.max(1, (int) Math.round(image.width() / scale)),
              Math.max(1, (int) Math.round(image.height() / scale)));
    }
    int w = working.width();
    int h = working.height();
    float[][] rgb = planarRgb(working);
    float[][] lab = lab(rgb);
    List<Ranked> ranked = new ArrayList<>();
    Random random = new Random(config.seed());
    for (float[][] space : List.of(rgb, lab)) {
      float[][] smooth = new float[3][];
      for (int c = 0; c < 3; c++) {
        smooth[c] = GraphSegmentation.gaussianBlur(space[c], w, h, config.sigma());
      }
      float[][] texture = textureBins(smooth, w, h);
      for (double k : config.ks()) {
        int[] labels = GraphSegmentation.segment(smooth, w, h, k, (int) Math.max(1, k / 4));
        for (boolean withColour : new boolean[] {true, false}) {
          List<Box> hierarchy = group(labels, w, h, space, texture, withColour);
          // Position from the top of the hierarchy (the last merge is 1) times a random number.
          for (int i = 0; i < hierarchy.size(); i++) {
            int position = hierarchy.size() - i;
            ranked.add(new Ranked(hierarchy.get(i), position * random.nextDouble()));
          }
        }
      }
    }
    ranked.sort(Comparator.comparingDouble(Ranked::rank));
    double minSide = config.minSideFraction() * Math.min(w, h);
    Set<Box> exact = new LinkedHashSet<>();
    List<Box> kept = new ArrayList<>();
    for (Ranked r : ranked) {
      Box b = r.box();
      if (b.width() < minSide || b.height() < minSide || !exact.add(b)) {
        continue;
      }
      boolean duplicate = false;
      for (Box k : kept) {
        if (k.iou(b) > config.dedupeIou()) {
          duplicate = true;
          break;
        }
      }
      if (!duplicate) {
        kept.add(b);
        if (kept.size() == config.maxProposals()) {
          break;
        }
      }
    }
    double sx = (double) image.width() / w;
    double sy = (double) image.height() / h;
    List<Box> out = new ArrayList<>(kept.size());
    for (Box b : kept) {
      out.add(
          new Box(
              Math.round(b.x0() * sx),
              Math.round(b.y0() * sy),
              Math.min(image.width(), Math.round(b.x1() * sx)),
              Math.min(image.height(), Math.round(b.y1() * sy))));
    }
    return List.copyOf(new LinkedHashSet<>(out));
  }

  private record Ranked(Box box, double rank) {}

  /** A region of a hierarchy: its pixel count, bounding box and normalised histograms. */
  private static final class Region {
    int size;
    int x0;
    int y0;
    int x1;
    int y1;
    float[] colour;
    float[] texture;
    BitSet neighbours = new BitSet();

    Box box() {
      return new Box(x0, y0, x1 + 1, y1 + 1);
    }
  }

  /**
   * Hierarchical grouping of one segmentation: the boxes of the initial regions, then of each
   * merged region in merge order (the last is the whole image's).
   */
  private static List<Box> group(
      int[] labels, int w, int h, float[][] space, float[][] texture, boolean withColour) {
    int n = 0;
    for (int l : labels) {
      n = Math.max(n, l + 1);
    }
    List<Region> regions = new ArrayList<>(2 * n);
    for (int i = 0; i < n; i++) {
      Region r = new Region();
      r.x0 = w;
      r.y0 = h;
      r.x1 = -1;
      r.y1 = -1;
      r.colour = new float[3 * COLOUR_BINS];
      r.texture = new float[3 * ORIENTATIONS * MAGNITUDE_BINS];
      regions.add(r);
    }
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = y * w + x;
        Region r = regions.get(labels[p]);
        r.size++;
        r.x0 = Math.min(r.x0, x);
        r.y0 = Math.min(r.y0, y);
        r.x1 = Math.max(r.x1, x);
        r.y1 = Math.max(r.y1, y);
        for (int c = 0; c < 3; c++) {
          int bin = Math.clamp((int) (space[c][p] * COLOUR_BINS / 256f), 0, COLOUR_BINS - 1);
          r.colour[c * COLOUR_BINS + bin]++;
          r.texture[(int) texture[c][p]]++;
        }
        if (x + 1 < w && labels[p + 1] != labels[p]) {
          link(regions, labels[p], labels[p + 1]);
        }
        if (y + 1 < h && labels[p + w] != labels[p]) {
          link(regions, labels[p], labels[p + w]);
        }
      }
    }
    for (Region r : regions) {
      normalise(r.colour);
      normalise(r.texture);
    }
    double imageSize = (double) w * h;
    List<Box> boxes = new ArrayList<>(2 * n);
    for (Region r : regions) {
      boxes.add(r.box());
    }
    PriorityQueue<double[]> pairs =
        new PriorityQueue<>(Comparator.comparingDouble((double[] p) -> -p[0]));
    for (int a = 0; a < n; a++) {
      BitSet ns = regions.get(a).neighbours;
      for (int b = ns.nextSetBit(a + 1); b >= 0; b = ns.nextSetBit(b + 1)) {
        pairs.add(
            new double[] {similarity(regions.get(a), regions.get(b), imageSize, withColour), a, b});
      }
    }
    BitSet dead = new BitSet();
    while (!pairs.isEmpty()) {
      double[] best = pairs.poll();
      int a = (int) best[1];
      int b = (int) best[2];
      if (dead.get(a) || dead.get(b)) {
        continue;
      }
      Region ra = regions.get(a);
      Region rb = regions.get(b);
      Region t = merge(ra, rb);
      int ti = regions.size();
      regions.add(t);
      dead.set(a);
      dead.set(b);
      t.neighbours.or(ra.neighbours);
      t.neighbours.or(rb.neighbours);
      t.neighbours.andNot(dead);
      for (int o = t.neighbours.nextSetBit(0); o >= 0; o = t.neighbours.nextSetBit(o + 1)) {
        Region ro = regions.get(o);
        ro.neighbours.set(ti);
        pairs.add(new double[] {similarity(t, ro, imageSize, withColour), o, ti});
      }
      boxes.add(t.box());
    }
    return boxes;
  }

  private static void link(List<Region> regions, int a, int b) {
    regions.get(a).neighbours.set(b);
    regions.get(b).neighbours.set(a);
  }

  private static Region merge(Region a, Region b) {
    Region t = new Region();
    t.size = a.size + b.size;
    t.x0 = Math.min(a.x0, b.x0);
    t.y0 = Math.min(a.y0, b.y0);
    t.x1 = Math.max(a.x1, b.x1);
    t.y1 = Math.max(a.y1, b.y1);
    t.colour = weighted(a.colour, a.size, b.colour, b.size);
    t.texture = weighted(a.texture, a.size, b.texture, b.size);
    return t;
  }

  private static float[] weighted(float[] a, int na, float[] b, int nb) {
    float[] out = new float[a.length];
    float sum = na + nb;
    for (int i = 0; i < a.length; i++) {
      out[i] = (a[i] * na + b[i] * nb) / sum;
    }
    return out;
  }

  /** The paper's similarity: colour (optional), texture, size and fill, each in [0, 1]. */
  private static double similarity(Region a, Region b, double imageSize, boolean withColour) {
    double s = intersection(a.texture, b.texture);
    if (withColour) {
      s += intersection(a.colour, b.colour);
    }
    s += 1 - (a.size + b.size) / imageSize;
    double bw = Math.max(a.x1, b.x1) - Math.min(a.x0, b.x0) + 1;
    double bh = Math.max(a.y1, b.y1) - Math.min(a.y0, b.y0) + 1;
    s += 1 - (bw * bh - a.size - b.size) / imageSize;
    return s;
  }

  private static double intersection(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += Math.min(a[i], b[i]);
    }
    return s;
  }

  private static void normalise(float[] histogram) {
    float sum = 0;
    for (float v : histogram) {
      sum += v;
    }
    if (sum > 0) {
      for (int i = 0; i < histogram.length; i++) {
        histogram[i] /= sum;
      }
    }
  }

  /**
   * Per channel and pixel, the texture histogram bin: the gradient's orientation (8 bins) and its
   * magnitude relative to the channel's largest (10 bins), a stand-in for the paper's Gaussian
   * derivatives in 8 orientations with 10-bin histograms. The values are bin indices stored as
   * floats, offset by channel.
   */
  private static float[][] textureBins(float[][] smooth, int w, int h) {
    float[][] bins = new float[3][w * h];
    for (int c = 0; c < 3; c++) {
      float[] v = smooth[c];
      float[] mag = new float[w * h];
      float[] angle = new float[w * h];
      float max = 0;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int p = y * w + x;
          float gx = v[y * w + Math.min(x + 1, w - 1)] - v[y * w + Math.max(x - 1, 0)];
          float gy = v[Math.min(y + 1, h - 1) * w + x] - v[Math.max(y - 1, 0) * w + x];
          mag[p] = (float) Math.hypot(gx, gy);
          angle[p] = (float) Math.atan2(gy, gx);
          max = Math.max(max, mag[p]);
        }
      }
      for (int p = 0; p < w * h; p++) {
        int o =
            Math.clamp(
                (int) ((angle[p] + Math.PI) / (2 * Math.PI) * ORIENTATIONS), 0, ORIENTATIONS - 1);
        int m =
            max == 0 ? 0 : Math.clamp((int) (mag[p] / max * MAGNITUDE_BINS), 0, MAGNITUDE_BINS - 1);
        bins[c][p] = (c * ORIENTATIONS + o) * MAGNITUDE_BINS + m;
      }
    }
    return bins;
  }

  /** The image as three planar float channels in 0 to 255 (grey replicated). */
  static float[][] planarRgb(DecodedImage image) {
    int n = image.width() * image.height();
    float[][] out = new float[3][n];
    byte[] px = image.pixels();
    int ch = image.channels();
    for (int p = 0; p < n; p++) {
      for (int c = 0; c < 3; c++) {
        out[c][p] = px[p * ch + (ch == 3 ? c : 0)] & 0xff;
      }
    }
    return out;
  }

  /** CIELAB (D65) of sRGB, scaled to about 0 to 255: L * 2.55, a + 128, b + 128. */
  static float[][] lab(float[][] rgb) {
    int n = rgb[0].length;
    float[][] out = new float[3][n];
    for (int p = 0; p < n; p++) {
      double r = linear(rgb[0][p] / 255.0);
      double g = linear(rgb[1][p] / 255.0);
      double b = linear(rgb[2][p] / 255.0);
      double x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047;
      double y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
      double z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883;
      double fx = f(x);
      double fy = f(y);
      double fz = f(z);
      out[0][p] = (float) ((116 * fy - 16) * 2.55);
      out[1][p] = (float) (500 * (fx - fy) + 128);
      out[2][p] = (float) (200 * (fy - fz) + 128);
    }
    return out;
  }

  private static double linear(double c) {
    return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  }

  private static double f(double t) {
    return t > 216.0 / 24389 ? Math.cbrt(t) : (24389.0 / 27 * t + 16) / 116;
  }
}
