package dev.clipsearch.models.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ClipModels;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.bench.DetectionMetrics.Scored;
import dev.clipsearch.models.detect.Box;
import dev.clipsearch.models.detect.ClipRegionDetector;
import dev.clipsearch.models.detect.DetectOptions;
import dev.clipsearch.models.detect.Detection;
import dev.clipsearch.models.detect.OwlVitDetector;
import dev.clipsearch.models.detect.SelectiveSearch;
import dev.clipsearch.models.image.ClipImagePreprocessor;
import dev.clipsearch.models.image.DecodedImage;
import dev.clipsearch.models.image.ImageDecoder;
import dev.clipsearch.models.image.ImageLimits;
import dev.clipsearch.models.offline.OfflineModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Zero-shot detection quality and speed on generated scenes (models/generator/detect_scenes.py).
 * Prints, per query, AP at IoU 0.5 and the best-box hit rate of the CLIP-region detector on a CLIP
 * model (by default the offline clipsearch-emoji-mini), against random boxes; then time per image.
 * Run through {@code models/bench/detect-bench.sh}.
 *
 * <pre>
 * DetectBench --scenes DIR [--model DIR] [--threads 2] [--random-seeds 20]
 *     [--owlvit DIR] [--timing-images 5] [--no-refine] [--absolute] [--diagnose]
 *     [--backgrounds "background|a floor"] [--proposals windows|selective_search|both]
 *     [--max-proposals 300] [--crop box|square_context|padded] [--search-steps 0]
 * </pre>
 *
 * <p>{@code --owlvit DIR} also times an OWL-ViT model (random weights: its boxes are not scored).
 */
public final class DetectBench {

  private static final double IOU = 0.5;
  private static final int RANDOM_BOXES_PER_LABEL = 10;

  private DetectBench() {}

  public static void main(String[] args) throws Exception {
    Path scenesDir = null;
    Path modelDir = null;
    Path owlvit = null;
    int threads = 2;
    int seeds = 20;
    int timingImages = 5;
    boolean refine = true;
    boolean diagnose = false;
    boolean imageRelative = true;
    List<String> backgrounds = ClipRegionDetector.Config.DEFAULT_BACKGROUNDS;
    ClipRegionDetector.Config defaults = ClipRegionDetector.Config.defaults();
    ClipRegionDetector.Proposals proposals = defaults.proposals();
    SelectiveSearch.Config search = defaults.selectiveSearch();
    ClipRegionDetector.CropShape cropShape = defaults.cropShape();
    int searchSteps = defaults.searchSteps();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--scenes" -> scenesDir = Path.of(args[++i]);
        case "--model" -> modelDir = Path.of(args[++i]);
        case "--owlvit" -> owlvit = Path.of(args[++i]);
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--random-seeds" -> seeds = Integer.parseInt(args[++i]);
        case "--timing-images" -> timingImages = Integer.parseInt(args[++i]);
        case "--no-refine" -> refine = false;
        case "--diagnose" -> diagnose = true;
        case "--absolute" -> imageRelative = false;
        case "--backgrounds" -> backgrounds = List.of(args[++i].split("\\|"));
        case "--proposals" ->
            proposals = ClipRegionDetector.Proposals.valueOf(args[++i].toUpperCase(Locale.ROOT));
        case "--max-proposals" -> search = search.withMaxProposals(Integer.parseInt(args[++i]));
        case "--search-steps" -> searchSteps = Integer.parseInt(args[++i]);
        case "--crop" ->
            cropShape = ClipRegionDetector.CropShape.valueOf(args[++i].toUpperCase(Locale.ROOT));
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (scenesDir == null) {
      throw new IllegalArgumentException("--scenes DIR is required");
    }
    JsonNode spec = new ObjectMapper().readTree(scenesDir.resolve("scenes.json").toFile());
    List<String> labels = new ArrayList<>();
    spec.get("labels").forEach(l -> labels.add(l.asText()));
    List<DecodedImage> images = new ArrayList<>();
    List<List<List<Box>>> truth = new ArrayList<>(); // [label][image] -> boxes
    for (int l = 0; l < labels.size(); l++) {
      truth.add(new ArrayList<>());
    }
    ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
    for (JsonNode scene : spec.get("scenes")) {
      String file = scene.get("file").asText();
      images.add(decoder.decode(Files.readAllBytes(scenesDir.resolve(file)), file));
      for (int l = 0; l < labels.size(); l++) {
        truth.get(l).add(new ArrayList<>());
      }
      for (JsonNode o : scene.get("objects")) {
        JsonNode b = o.get("box");
        truth
            .get(labels.indexOf(o.get("label").asText()))
            .getLast()
            .add(
                new Box(
                    b.get(0).asDouble(),
                    b.get(1).asDouble(),
                    b.get(2).asDouble(),
                    b.get(3).asDouble()));
      }
    }

    RuntimeOptions options =
        RuntimeOptions.defaults().withDevice(Device.CPU).withIntraOpThreads(threads);
    Path installDir = Files.createTempDirectory("clipsearch-offline-model");
    DetectOptions detectOptions = DetectOptions.defaults().withThreshold(0f).withMaxDetections(500);
    try (ClipModel model =
            modelDir == null
                ? OfflineModel.load(installDir, options)
                : ClipModels.load(modelDir, options);
        ClipRegionDetector detector =
            new ClipRegionDetector(
                model,
                defaults
                    .withRefine(refine)
                    .withImageRelative(imageRelative)
                    .withBackgrounds(backgrounds)
                    .withProposals(proposals, search)
                    .withCropShape(cropShape)
                    .withSearchSteps(searchSteps))) {
      System.out.printf(
          Locale.ROOT,
          "%d scenes, %d queries each, detector %s, %d threads, %s%n",
          images.size(),
          labels.size(),
          detector.name(),
          threads,
          detector.config());
      List<List<Scored>> found = new ArrayList<>();
      for (int l = 0; l < labels.size(); l++) {
        found.add(new ArrayList<>());
      }
      long[] nanos = new long[images.size()];
      for (int i = 0; i < images.size(); i++) {
        long start = System.nanoTime();
        List<Detection> detections = detector.detect(images.get(i), labels, detectOptions);
        nanos[i] = System.nanoTime() - start;
        for (Detection d : detections) {
          found.get(d.labelIndex()).add(new Scored(i, d.score(), d.box()));
        }
        if (diagnose) {
          for (int l = 0; l < labels.size(); l++) {
            for (Box t : truth.get(l).get(i)) {
              final int label = l;
              Detection best =
                  detections.stream().filter(d -> d.labelIndex() == label).findFirst().orElse(null);
              System.out.printf(
                  Locale.ROOT,
                  "scene %d %s truth %.0f,%.0f,%.0f,%.0f best %s iou %.2f; top overall %s%n",
                  i,
                  labels.get(l),
                  t.x0(),
                  t.y0(),
                  t.x1(),
                  t.y1(),
                  best,
                  best == null ? 0 : best.box().iou(t),
                  detections.isEmpty() ? null : detections.get(0).label());
            }
          }
        }
      }
      int[] cropRight = classifyTruthCrops(model, labels, truth, images);
      printTable(labels, truth, found, images, seeds, cropRight);
      printTimes("CLIP regions (" + model.id() + ")", nanos, 2);
    }

    if (owlvit != null) {
      try (OwlVitDetector detector = OwlVitDetector.load(owlvit, options)) {
        int n = Math.min(timingImages + 1, images.size());
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
          long start = System.nanoTime();
          detector.detect(images.get(i), labels, DetectOptions.defaults());
          nanos[i] = System.nanoTime() - start;
        }
        printTimes("OWL-ViT " + owlvit.getFileName() + " (random weights)", nanos, 1);
      }
    }
  }

  private static void printTable(
      List<String> labels,
      List<List<List<Box>>> truth,
      List<List<Scored>> found,
      List<DecodedImage> images,
      int seeds,
      int[] cropRight) {
    System.out.println();
    System.out.println(
        "| query | scenes with it | AP@0.5 CLIP regions | AP@0.5 random boxes | best box IoU>=0.5"
            + " CLIP regions | best box IoU>=0.5 random boxes | true box classified right |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|");
    double apSum = 0;
    double randomApSum = 0;
    int hitsSum = 0;
    int presentSum = 0;
    double randomHitsSum = 0;
    for (int l = 0; l < labels.size(); l++) {
      double ap = DetectionMetrics.averagePrecision(found.get(l), truth.get(l), IOU);
      int[] hits = DetectionMetrics.bestBoxHits(found.get(l), truth.get(l), IOU);
      double randomAp = 0;
      double randomHits = 0;
      for (int seed = 0; seed < seeds; seed++) {
        List<Scored> random = randomBoxes(images, new Random(1000L * l + seed));
        randomAp += DetectionMetrics.averagePrecision(random, truth.get(l), IOU) / seeds;
        randomHits += (double) DetectionMetrics.bestBoxHits(random, truth.get(l), IOU)[0] / seeds;
      }
      System.out.printf(
          Locale.ROOT,
          "| %s | %d | %.3f | %.3f | %d/%d = %.2f | %.2f | %d/%d |%n",
          labels.get(l),
          hits[1],
          ap,
          randomAp,
          hits[0],
          hits[1],
          (double) hits[0] / hits[1],
          randomHits / hits[1],
          cropRight[l],
          hits[1]);
      apSum += ap;
      randomApSum += randomAp;
      hitsSum += hits[0];
      presentSum += hits[1];
      randomHitsSum += randomHits;
    }
    System.out.printf(
        Locale.ROOT,
        "| **all (mean AP; pooled hit rate)** | %d | **%.3f** | %.3f | **%d/%d = %.2f** | %.2f |"
            + " %d/%d = %.2f |%n",
        presentSum,
        apSum / labels.size(),
        randomApSum / labels.size(),
        hitsSum,
        presentSum,
        (double) hitsSum / presentSum,
        randomHitsSum / presentSum,
        Arrays.stream(cropRight).sum(),
        presentSum,
        (double) Arrays.stream(cropRight).sum() / presentSum);
  }

  /**
   * The model's ceiling on these scenes: per label, how many of its true boxes (made square around
   * their centre, inside the image) the model classifies as that label among all the queries.
   */
  private static int[] classifyTruthCrops(
      ClipModel model,
      List<String> labels,
      List<List<List<Box>>> truth,
      List<DecodedImage> images) {
    float[][] texts = model.encodeTexts(labels);
    ClipImagePreprocessor preprocessor = new ClipImagePreprocessor(model.spec().preprocess());
    int[] right = new int[labels.size()];
    for (int l = 0; l < labels.size(); l++) {
      for (int i = 0; i < images.size(); i++) {
        for (Box t : truth.get(l).get(i)) {
          DecodedImage image = images.get(i);
          double side = Math.min(Math.max(t.width(), t.height()), image.height());
          double cx = Math.clamp((t.x0() + t.x1()) / 2, side / 2, image.width() - side / 2);
          double cy = Math.clamp((t.y0() + t.y1()) / 2, side / 2, image.height() - side / 2);
          int x0 = (int) Math.round(cx - side / 2);
          int y0 = (int) Math.round(cy - side / 2);
          int s = (int) side;
          float[] v =
              model.encodeImages(List.of(preprocessor.preprocess(crop(image, x0, y0, s, s))))[0];
          int best = 0;
          double bestDot = Double.NEGATIVE_INFINITY;
          for (int k = 0; k < texts.length; k++) {
            double dot = 0;
            for (int d = 0; d < v.length; d++) {
              dot += v[d] * texts[k][d];
            }
            if (dot > bestDot) {
              bestDot = dot;
              best = k;
            }
          }
          right[l] += best == l ? 1 : 0;
        }
      }
    }
    return right;
  }

  private static DecodedImage crop(DecodedImage image, int x0, int y0, int w, int h) {
    int c = image.channels();
    byte[] out = new byte[w * h * c];
    for (int y = 0; y < h; y++) {
      System.arraycopy(image.pixels(), ((y0 + y) * image.width() + x0) * c, out, y * w * c, w * c);
    }
    return new DecodedImage(w, h, c, out);
  }

  /**
   * The baseline: per image, {@value #RANDOM_BOXES_PER_LABEL} boxes with uniform random scores,
   * sides uniform over 90 to 250 px (the generator's object sizes, so the baseline knows the size
   * range) and aspect ratio 0.6 to 1.6, placed uniformly inside the image.
   */
  private static List<Scored> randomBoxes(List<DecodedImage> images, Random random) {
    List<Scored> boxes = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      int width = images.get(i).width();
      int height = images.get(i).height();
      for (int k = 0; k < RANDOM_BOXES_PER_LABEL; k++) {
        double side = 90 + random.nextDouble() * 160;
        double aspect = 0.6 + random.nextDouble();
        double w = Math.min(width, side * Math.sqrt(aspect));
        double h = Math.min(height, side / Math.sqrt(aspect));
        double x = random.nextDouble() * (width - w);
        double y = random.nextDouble() * (height - h);
        boxes.add(new Scored(i, random.nextFloat(), new Box(x, y, x + w, y + h)));
      }
    }
    return boxes;
  }

  private static void printTimes(String what, long[] nanos, int warmup) {
    long[] measured = Arrays.copyOfRange(nanos, Math.min(warmup, nanos.length - 1), nanos.length);
    Arrays.sort(measured);
    double mean = Arrays.stream(measured).average().orElse(0) / 1e6;
    System.out.printf(
        Locale.ROOT,
        "%n%s: %.0f ms per image (mean of %d after %d warm-up), median %.0f ms, min %.0f, max %.0f%n",
        what,
        mean,
        measured.length,
        warmup,
        measured[measured.length / 2] / 1e6,
        measured[0] / 1e6,
        measured[measured.length - 1] / 1e6);
  }
}
