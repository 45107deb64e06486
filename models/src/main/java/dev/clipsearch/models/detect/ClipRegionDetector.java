package dev.clipsearch.models.detect;

import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.image.BicubicResizer;
import dev.clipsearch.models.image.ClipImagePreprocessor;
import dev.clipsearch.models.image.DecodedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Zero-shot detection with any CLIP model and no detection model: class-agnostic region proposals
 * ({@link SelectiveSearch} by default, or {@link RegionProposals} square windows, or both) are
 * cropped from the image (by default the square around each box, see {@link CropShape}), encoded in
 * batches by the model's image tower, and each crop's similarities to the labels and to a few
 * background prompts go through a softmax at the model's logit scale. A label's probability in a
 * box is that detection's score; boxes above the threshold go through per-label NMS (if the options
 * ask), best first.
 *
 * <p>Selective search proposes boxes that follow the image's segments, so an object's own tight box
 * is usually among them; square windows hold it only when it is square and on the grid, and a
 * window twice the object's size scores about as high as a tight one. The background prompts give
 * the softmax somewhere to put a box that shows no label. Images whose shorter side exceeds {@link
 * Config#workingSide} are first resized (PIL bicubic) so that it equals it; boxes are mapped back
 * to the original's pixels.
 *
 * <p>Works with every {@link ClipModel}, including the offline {@code clipsearch-emoji-mini}. Cost:
 * one image-tower pass per proposal (about a hundred selective search boxes on a 640 x 480 scene,
 * at most {@link SelectiveSearch.Config#maxProposals}), plus the proposals themselves (0.2 to 0.3 s
 * per 640 x 480 photo on the shared 2-core development machine). Thread-safe; does not close the
 * model, which its owner shares.
 */
public final class ClipRegionDetector implements Detector {

  /**
   * How the detector proposes and scores boxes.
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
   * @param cropShape what of a box the image tower sees: see {@link CropShape}
   * @param searchSteps rounds of local box search on each label's best detection (0: none)
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
      CropShape cropShape,
      int searchSteps) {

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
      Objects.requireNonNull(cropShape, "cropShape");
      if (searchSteps < 0) {
        throw new IllegalArgumentException("search steps must be >= 0, got " + searchSteps);
      }
    }

    /**
     * Selective search proposals (the windows, 20% to 90% of the shorter side a third of a window
     * apart, only if {@link Proposals} asks), scored on the square around each box against the
     * default backgrounds, image-relative; 480 px; box voting; no local box search. Chosen on
     * generated scenes, see docs/benchmarks.md "Zero-shot detection".
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
          CropShape.SQUARE_CONTEXT,
          0);
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
          cropShape,
          searchSteps);
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
          cropShape,
          searchSteps);
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
          cropShape,
          searchSteps);
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
          cropShape,
          searchSteps);
    }

    /** This configuration with another number of local box search rounds. */
    public Config withSearchSteps(int value) {
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
          cropShape,
          value);
    }

    /** This configuration with another crop shape. */
    public Config withCropShape(CropShape value) {
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
          value,
          searchSteps);
    }

    @Override
    public double[] windowFractions() {
      return windowFractions.clone();
    }
  }

  /** What of a box the image tower sees. */
  public enum CropShape {
    /**
     * The box itself; the CLIP preprocessor then centre-crops it to a square, cutting the ends of
     * an elongated box.
     */
    BOX,
    /**
     * The square around the box (side its longer side, at most the image's shorter side, moved
     * inside the image): the whole box, with some of its surroundings.
     */
    SQUARE_CONTEXT,
    /** The box alone, padded to a square with CLIP's mean colour: nothing outside the box. */
    PADDED
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

  /** How far the local box search moves a side, as a fraction of the box's size. */
  static final double SEARCH_STEP = 0.15;

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
    double sx = (double) image.width() / working.width();
    double sy = (double) image.height() / working.height();
    int textCount = texts.length + backgrounds.length;
    double[][] logits = logits(working, windows, texts);
    double[] medians = config.imageRelative() ? centre(logits, textCount) : new double[textCount];
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
    List<Detection> voted = NonMaxSuppression.finish(refined, options);
    if (config.searchSteps() == 0) {
      return voted;
    }
    List<Detection> searched = new ArrayList<>(voted.size());
    boolean[] done = new boolean[labels.size()];
    for (Detection d : voted) {
      if (done[d.labelIndex()]) {
        searched.add(d);
        continue;
      }
      done[d.labelIndex()] = true;
      Detection s = search(working, d, texts, medians, labels.size(), sx, sy);
      if (s.score() > options.threshold()) {
        searched.add(s);
      }
    }
    return NonMaxSuppression.finish(searched, options);
  }

  /**
   * Local box search, the best detection of each label only: its box, each side moved out and in by
   * {@value #SEARCH_STEP} of the box's size, and the box grown and shrunk by as much about its
   * centre are scored; the best-scoring becomes the box, for up to {@link Config#searchSteps}
   * rounds or until the box itself scores best. The detection's score becomes its box's.
   */
  private Detection search(
      DecodedImage working,
      Detection d,
      float[][] texts,
      double[] medians,
      int labels,
      double sx,
      double sy) {
    int w = working.width();
    int h = working.height();
    Box current =
        integer(
            new Box(d.box().x0() / sx, d.box().y0() / sy, d.box().x1() / sx, d.box().y1() / sy),
            w,
            h);
    double best = -1;
    for (int step = 0; step < config.searchSteps(); step++) {
      double dx = SEARCH_STEP * current.width();
      double dy = SEARCH_STEP * current.height();
      java.util.LinkedHashSet<Box> variants = new java.util.LinkedHashSet<>();
      variants.add(current);
      double x0 = current.x0();
      double y0 = current.y0();
      double x1 = current.x1();
      double y1 = current.y1();
      for (double sign : new double[] {-1, 1}) {
        variants.add(integer(new Box(x0 + sign * dx, y0, x1, y1), w, h));
        variants.add(integer(new Box(x0, y0 + sign * dy, x1, y1), w, h));
        variants.add(integer(new Box(x0, y0, x1 + sign * dx, y1), w, h));
        variants.add(integer(new Box(x0, y0, x1, y1 + sign * dy), w, h));
        variants.add(
            integer(
                new Box(
                    x0 - sign * dx / 2, y0 - sign * dy / 2, x1 + sign * dx / 2, y1 + sign * dy / 2),
                w,
                h));
      }
      variants.removeIf(b -> b.width() < 4 || b.height() < 4);
      List<Box> boxes = List.copyOf(variants);
      double[][] logits = logits(working, boxes, texts);
      Box bestBox = current;
      best = -1;
      for (int i = 0; i < boxes.size(); i++) {
        for (int k = 0; k < medians.length; k++) {
          logits[i][k] -= medians[k];
        }
        double p = softmax(logits[i], labels, config.imageRelative())[d.labelIndex()];
        if (p > best) {
          best = p;
          bestBox = boxes.get(i);
        }
      }
      if (bestBox.equals(current)) {
        break;
      }
      current = bestBox;
    }
    Box original =
        new Box(current.x0() * sx, current.y0() * sy, current.x1() * sx, current.y1() * sy);
    return new Detection(d.label(), d.labelIndex(), (float) best, original);
  }

  /** The box rounded to whole pixels and clipped to a {@code w} x {@code h} image. */
  private static Box integer(Box b, int w, int h) {
    return new Box(
        Math.clamp(Math.round(b.x0()), 0, w),
        Math.clamp(Math.round(b.y0()), 0, h),
        Math.clamp(Math.round(b.x1()), 0, w),
        Math.clamp(Math.round(b.y1()), 0, h));
  }

  /** Each box's logits against the labels' texts, then the backgrounds. */
  private double[][] logits(DecodedImage working, List<Box> boxes, float[][] texts) {
    float logitScale = model.spec().logitScale();
    int textCount = texts.length + backgrounds.length;
    double[][] logits = new double[boxes.size()][];
    for (int start = 0; start < boxes.size(); start += config.batchSize()) {
      List<Box> batch = boxes.subList(start, Math.min(boxes.size(), start + config.batchSize()));
      List<float[]> tensors = new ArrayList<>(batch.size());
      for (Box box : batch) {
        DecodedImage pixels =
            switch (config.cropShape()) {
              case BOX -> crop(working, box);
              case SQUARE_CONTEXT -> crop(working, square(box, working.width(), working.height()));
              case PADDED -> padded(crop(working, box));
            };
        tensors.add(preprocessor.preprocess(pixels));
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
    return logits;
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

  /** The image centred on a square canvas of CLIP's mean colour (0.481, 0.458, 0.408). */
  static DecodedImage padded(DecodedImage image) {
    int side = Math.max(image.width(), image.height());
    int c = image.channels();
    byte[] out = new byte[side * side * c];
    byte[] mean =
        c == 3 ? new byte[] {(byte) 123, (byte) 117, (byte) 104} : new byte[] {(byte) 117};
    for (int p = 0; p < side * side; p++) {
      System.arraycopy(mean, 0, out, p * c, c);
    }
    int x0 = (side - image.width()) / 2;
    int y0 = (side - image.height()) / 2;
    for (int y = 0; y < image.height(); y++) {
      System.arraycopy(
          image.pixels(),
          y * image.width() * c,
          out,
          ((y0 + y) * side + x0) * c,
          image.width() * c);
    }
    return new DecodedImage(side, side, c, out);
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
  private static double[] centre(double[][] logits, int textCount) {
    double[] column = new double[logits.length];
    double[] medians = new double[textCount];
    for (int k = 0; k < textCount; k++) {
      for (int i = 0; i < logits.length; i++) {
        column[i] = logits[i][k];
      }
      java.util.Arrays.sort(column);
      double median = column[column.length / 2];
      medians[k] = median;
      for (double[] row : logits) {
        row[k] -= median;
      }
    }
    return medians;
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
