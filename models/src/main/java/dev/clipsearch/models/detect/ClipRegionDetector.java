package dev.clipsearch.models.detect;

import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.image.BicubicResizer;
import dev.clipsearch.models.image.ClipImagePreprocessor;
import dev.clipsearch.models.image.DecodedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Zero-shot detection with any CLIP model and no detection model: {@link RegionProposals} windows
 * are cropped from the image, encoded in batches by the model's image tower, and each crop's
 * similarities to the labels and to a few background prompts go through a softmax at the model's
 * logit scale. A label's probability in a window is that detection's score; windows above the
 * threshold go through per-label NMS (if the options ask), best first.
 *
 * <p>The background prompts give the softmax somewhere to put a window that shows no label, so a
 * window mostly filled by its object beats a larger one holding the object and much else. Images
 * whose shorter side exceeds {@link Config#workingSide} are first resized (PIL bicubic) so that it
 * equals it; boxes are mapped back to the original's pixels.
 *
 * <p>Works with every {@link ClipModel}, including the offline {@code clipsearch-emoji-mini}. Cost:
 * one image-tower pass per window (448 for the default windows on a 640 x 480 image). Thread-safe;
 * does not close the model, which its owner shares.
 */
public final class ClipRegionDetector implements Detector {

  /**
   * How the detector proposes and scores windows.
   *
   * @param windowFractions window sides as fractions of the image's shorter side
   * @param stride window step as a fraction of the window side
   * @param backgroundPrompts texts that stand for "none of the labels"
   * @param workingSide images with a larger shorter side are downscaled to it first
   * @param batchSize crops per image-tower call
   * @param refine whether each detection's box is refined by box voting of the overlapping windows
   * @param imageRelative whether each text's logits are centred on their median over the image's
   *     windows before the softmax, which then also holds a "typical window" logit of 0
   * @param proposals which boxes are scored: sliding windows, selective search, or both
   * @param selectiveSearch how selective search proposes (used unless {@code proposals} is WINDOWS)
   * @param squareCrops whether a box is scored on the square crop around it (side its longer side,
   *     moved inside the image, at most the shorter image side) rather than on the box itself,
   *     which the CLIP preprocessor would centre-crop, cutting the ends of an elongated object
   */
  public record Config(
      double[] windowFractions,
      double stride,
      List<String> backgroundPrompts,
      int workingSide,
      int batchSize,
      boolean refine,
      boolean imageRelative,
      Proposals proposals,
      SelectiveSearch.Config selectiveSearch,
      boolean squareCrops) {

    /** Default background prompts: scenery without an object. */
    public static final List<String> DEFAULT_BACKGROUNDS =
        List.of(
            "background",
            "an empty wall",
            "a floor",
            "a texture",
            "an empty room",
            "a blurry photo",
            "a pattern");

    public Config {
      windowFractions = windowFractions.clone();
      RegionProposals.windows(1, 1, windowFractions, stride); // validates both
      backgroundPrompts = List.copyOf(backgroundPrompts);
      if (workingSide < 16) {
        throw new IllegalArgumentException("working side must be >= 16, got " + workingSide);
      }
      if (batchSize < 1) {
        throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
      }
      Objects.requireNonNull(proposals, "proposals");
      Objects.requireNonNull(selectiveSearch, "selectiveSearch");
    }

    /**
     * Selective search proposals together with square windows of 20% to 90% of the shorter side a
     * third of a window apart, scored on square crops; 480 px; box voting.
     */
    public static Config defaults() {
      return new Config(
          new double[] {0.2, 0.28, 0.38, 0.52, 0.7, 0.9},
          1.0 / 3,
          DEFAULT_BACKGROUNDS,
          480,
          32,
          true,
          true,
          Proposals.SELECTIVE_SEARCH,
          SelectiveSearch.Config.defaults(),
          true);
    }

    /** This configuration with box voting on or off. */
    public Config withRefine(boolean value) {
      return new Config(
          windowFractions,
          stride,
          backgroundPrompts,
          workingSide,
          batchSize,
          value,
          imageRelative,
          proposals,
          selectiveSearch,
          squareCrops);
    }

    /** This configuration with other background prompts. */
    public Config withBackgrounds(List<String> prompts) {
      return new Config(
          windowFractions,
          stride,
          prompts,
          workingSide,
          batchSize,
          refine,
          imageRelative,
          proposals,
          selectiveSearch,
          squareCrops);
    }

    /** This configuration with image-relative scoring on or off. */
    public Config withImageRelative(boolean value) {
      return new Config(
          windowFractions,
          stride,
          backgroundPrompts,
          workingSide,
          batchSize,
          refine,
          value,
          proposals,
          selectiveSearch,
          squareCrops);
    }

    /** This configuration with other proposals. */
    public Config withProposals(Proposals value, SelectiveSearch.Config search) {
      return new Config(
          windowFractions,
          stride,
          backgroundPrompts,
          workingSide,
          batchSize,
          refine,
          imageRelative,
          value,
          search,
          squareCrops);
    }

    /** This configuration with square context crops on or off. */
    public Config withSquareCrops(boolean value) {
      return new Config(
          windowFractions,
          stride,
          backgroundPrompts,
          workingSide,
          batchSize,
          refine,
          imageRelative,
          proposals,
          selectiveSearch,
          value);
    }

    @Override
    public double[] windowFractions() {
      return windowFractions.clone();
    }
  }

  /** Where the boxes that are scored come from. */
  public enum Proposals {
    /** {@link RegionProposals} square sliding windows only. */
    WINDOWS,
    /** {@link SelectiveSearch} proposals only. */
    SELECTIVE_SEARCH,
    /** Both, selective search first (duplicates once). */
    BOTH
  }

  /** Windows overlapping a detection more than this vote on its box. */
  static final double VOTE_IOU = 0.3;

  private final ClipModel model;
  private final Config config;
  private final ClipImagePreprocessor preprocessor;
  private final float[][] backgrounds;

  /** A detector on {@code model} (not closed by this detector) with the given configuration. */
  public ClipRegionDetector(ClipModel model, Config config) {
    this.model = Objects.requireNonNull(model, "model");
    this.config = Objects.requireNonNull(config, "config");
    this.preprocessor = new ClipImagePreprocessor(model.spec().preprocess());
    this.backgrounds =
        config.backgroundPrompts().isEmpty()
            ? new float[0][]
            : model.encodeTexts(config.backgroundPrompts());
  }

  /** The configuration. */
  public Config config() {
    return config;
  }

  @Override
  public String name() {
    return "clip-regions:" + model.id();
  }

  @Override
  public List<Detection> detect(DecodedImage image, List<String> labels, DetectOptions options) {
    Detector.checkLabels(labels);
    Objects.requireNonNull(options, "options");
    float[][] texts = model.encodeTexts(labels);
    double scale = 1;
    DecodedImage working = image;
    int shortSide = Math.min(image.width(), image.height());
    if (shortSide > config.workingSide()) {
      scale = (double) shortSide / config.workingSide();
      working =
          BicubicResizer.resize(
              image,
              Math.max(1, (int) Math.round(image.width() / scale)),
              Math.max(1, (int) Math.round(image.height() / scale)));
    }
    List<Box> windows = proposals(working);
    float logitScale = model.spec().logitScale();
    double sx = (double) image.width() / working.width();
    double sy = (double) image.height() / working.height();
    int textCount = texts.length + backgrounds.length;
    double[][] logits = new double[windows.size()][];
    for (int start = 0; start < windows.size(); start += config.batchSize()) {
      List<Box> batch =
          windows.subList(start, Math.min(windows.size(), start + config.batchSize()));
      List<float[]> tensors = new ArrayList<>(batch.size());
      for (Box box : batch) {
        Box scored = config.squareCrops() ? square(box, working.width(), working.height()) : box;
        tensors.add(preprocessor.preprocess(crop(working, scored)));
      }
      float[][] vectors = model.encodeImages(tensors);
      for (int i = 0; i < batch.size(); i++) {
        double[] row = new double[textCount];
        for (int k = 0; k < textCount; k++) {
          float[] text = k < texts.length ? texts[k] : backgrounds[k - texts.length];
          row[k] = logitScale * dot(vectors[i], text);
        }
        logits[start + i] = row;
      }
    }
    if (config.imageRelative()) {
      centre(logits, textCount);
    }
    List<Detection> candidates = new ArrayList<>();
    for (int i = 0; i < windows.size(); i++) {
      double[] probabilities = softmax(logits[i], labels.size(), config.imageRelative());
      Box w = windows.get(i);
      Box original = new Box(w.x0() * sx, w.y0() * sy, w.x1() * sx, w.y1() * sy);
      for (int label = 0; label < labels.size(); label++) {
        // Compared as the float it is reported as, so that no score equal to the threshold passes.
        float score = (float) probabilities[label];
        if (score > options.threshold()) {
          candidates.add(new Detection(labels.get(label), label, score, original));
        }
      }
    }
    List<Detection> kept = NonMaxSuppression.finish(candidates, options);
    if (!config.refine()) {
      return kept;
    }
    List<Detection> refined = new ArrayList<>(kept.size());
    for (Detection d : kept) {
      refined.add(refine(d, candidates));
    }
    // Voting moves boxes: two that NMS kept apart may now overlap, so suppress once more.
    return NonMaxSuppression.finish(refined, options);
  }

  /** The boxes to score on the working image, per the configuration, without duplicates. */
  List<Box> proposals(DecodedImage working) {
    java.util.LinkedHashSet<Box> boxes = new java.util.LinkedHashSet<>();
    if (config.proposals() != Proposals.WINDOWS) {
      boxes.addAll(SelectiveSearch.proposals(working, config.selectiveSearch()));
    }
    if (config.proposals() != Proposals.SELECTIVE_SEARCH) {
      boxes.addAll(
          RegionProposals.windows(
              working.width(), working.height(), config.windowFractions(), config.stride()));
    }
    return List.copyOf(boxes);
  }

  /**
   * The square of side {@code max(w, h)} (at most the image's shorter side) centred on the box,
   * moved inside the image: the box with its context, so that the CLIP preprocessor's centre crop
   * keeps the whole object.
   */
  static Box square(Box box, int width, int height) {
    double side = Math.min(Math.max(box.width(), box.height()), Math.min(width, height));
    double cx = (box.x0() + box.x1()) / 2;
    double cy = (box.y0() + box.y1()) / 2;
    double x0 = Math.clamp(Math.round(cx - side / 2), 0, width - (long) side);
    double y0 = Math.clamp(Math.round(cy - side / 2), 0, height - (long) side);
    return new Box(x0, y0, x0 + (long) side, y0 + (long) side);
  }

  /**
   * Box voting: the detection's box becomes the average of the boxes of its label's windows that
   * overlap it (IoU above {@value #VOTE_IOU}), weighted by how far their probability rises above
   * the half of the detection's. Windows are coarse; the object usually lies where the confident
   * windows around the best one agree.
   */
  private static Detection refine(Detection d, List<Detection> candidates) {
    double floor = d.score() / 2;
    double sum = 0;
    double x0 = 0;
    double y0 = 0;
    double x1 = 0;
    double y1 = 0;
    for (Detection c : candidates) {
      if (c.labelIndex() != d.labelIndex() || c.score() <= floor) {
        continue;
      }
      if (c.box().iou(d.box()) <= VOTE_IOU) {
        continue;
      }
      double w = Math.pow(c.score() - floor, 2) / c.box().area();
      sum += w;
      x0 += w * c.box().x0();
      y0 += w * c.box().y0();
      x1 += w * c.box().x1();
      y1 += w * c.box().y1();
    }
    if (sum == 0) {
      return d;
    }
    return new Detection(
        d.label(), d.labelIndex(), d.score(), new Box(x0 / sum, y0 / sum, x1 / sum, y1 / sum));
  }

  private static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int d = 0; d < a.length; d++) {
      sum += a[d] * b[d];
    }
    return sum;
  }

  /**
   * Subtracts from each text's logits their median over the image's windows: what a text scores on
   * a typical window of this image (mostly background) is its baseline, so a label that the model
   * finds everywhere in this image no longer wins everywhere.
   */
  private static void centre(double[][] logits, int textCount) {
    double[] column = new double[logits.length];
    for (int k = 0; k < textCount; k++) {
      for (int i = 0; i < logits.length; i++) {
        column[i] = logits[i][k];
      }
      java.util.Arrays.sort(column);
      double median = column[column.length / 2];
      for (double[] row : logits) {
        row[k] -= median;
      }
    }
  }

  /**
   * Softmax over the labels, the backgrounds and, when the logits are centred, one more logit of 0
   * (the window is as typical as the image's median window); the labels' probabilities.
   */
  private static double[] softmax(double[] logits, int labels, boolean withTypical) {
    double max = withTypical ? 0 : Double.NEGATIVE_INFINITY;
    for (double v : logits) {
      max = Math.max(max, v);
    }
    double sum = withTypical ? Math.exp(-max) : 0;
    double[] e = new double[logits.length];
    for (int k = 0; k < logits.length; k++) {
      e[k] = Math.exp(logits[k] - max);
      sum += e[k];
    }
    double[] probabilities = new double[labels];
    for (int k = 0; k < labels; k++) {
      probabilities[k] = e[k] / sum;
    }
    return probabilities;
  }

  /** The pixels of an integer box inside the image. */
  static DecodedImage crop(DecodedImage image, Box box) {
    int x0 = (int) box.x0();
    int y0 = (int) box.y0();
    int w = (int) box.x1() - x0;
    int h = (int) box.y1() - y0;
    int channels = image.channels();
    byte[] out = new byte[w * h * channels];
    for (int y = 0; y < h; y++) {
      System.arraycopy(
          image.pixels(),
          ((y0 + y) * image.width() + x0) * channels,
          out,
          y * w * channels,
          w * channels);
    }
    return new DecodedImage(w, h, channels, out);
  }

  /** Nothing to release: the model belongs to the caller. */
  @Override
  public void close() {}
}
