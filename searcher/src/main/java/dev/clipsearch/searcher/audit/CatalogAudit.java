package dev.clipsearch.searcher.audit;

import dev.clipsearch.common.catalog.Product;
import dev.clipsearch.common.catalog.ProductJson;
import dev.clipsearch.indexer.store.FacetCounts;
import dev.clipsearch.indexer.store.FacetValue;
import dev.clipsearch.indexer.store.ImageRecord;
import dev.clipsearch.indexer.store.ProductFilter;
import dev.clipsearch.indexer.store.ProductMatch;
import dev.clipsearch.indexer.store.ProductRecord;
import dev.clipsearch.indexer.store.SearchStore;
import dev.clipsearch.indexer.store.StoreView;
import dev.clipsearch.models.ClipModel;
import dev.clipsearch.searcher.audit.AuditReport.CategoryMismatch;
import dev.clipsearch.searcher.audit.AuditReport.Counts;
import dev.clipsearch.searcher.audit.AuditReport.DuplicateGroup;
import dev.clipsearch.searcher.audit.AuditReport.ImageRef;
import dev.clipsearch.searcher.audit.AuditReport.PlaceholderImage;
import dev.clipsearch.searcher.classify.ZeroShotClassifier;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a catalog for three kinds of problems shop teams fight, from the vectors the store already
 * holds (no image is encoded again; only prompts go through the text encoder):
 *
 * <ul>
 *   <li><b>category mismatches</b>: each product's images are classified zero-shot against the
 *       catalog's own categories (the distinct category paths in the store, found through the
 *       category facet), with {@link ZeroShotClassifier}'s softmax; a product is reported when
 *       another category is more probable than its stored one by more than a margin;
 *   <li><b>near-duplicate images across products</b>: every image vector is searched in the HNSW
 *       graph for its nearest few other products, candidates are confirmed by the exact cosine of
 *       the stored vectors, and confirmed pairs are joined into groups (union-find): no all-pairs
 *       comparison;
 *   <li><b>placeholder-looking images</b>: an image is reported when one of the placeholder prompts
 *       is more probable than the product's own title and every category prompt by more than a
 *       margin. Such images are left out of the category check.
 * </ul>
 *
 * <p>Everything is read through one {@link StoreView}, so the report describes one point in time.
 */
public final class CatalogAudit {

  /**
   * HNSW scores may come from quantized vectors: candidates this far below the threshold are still
   * checked with the exact cosine.
   */
  static final double CANDIDATE_SLACK = 0.05;

  private static final Logger LOG = LoggerFactory.getLogger(CatalogAudit.class);

  /** Products whose titles are encoded in one call. */
  static final int BATCH = 64;

  private final ClipModel model;
  private final AuditSettings settings;

  public CatalogAudit(ClipModel model, AuditSettings settings) {
    this.model = Objects.requireNonNull(model, "model");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * Audits every product of {@code store}.
   *
   * @param progress told of each product audited (a progress bar)
   * @throws IllegalArgumentException when the store was built by another model than {@link #model}
   */
  public AuditReport run(SearchStore store, LongConsumer progress) {
    if (!store.metadata().isCompatibleWith(model.spec())) {
      throw new IllegalArgumentException(
          store.location()
              + " was built by "
              + store.metadata().describeModel()
              + ", not by "
              + model.id()
              + ": the audit needs the model that made the stored vectors");
    }
    long start = System.nanoTime();
    try (StoreView view = store.view()) {
      Run run = new Run(view);
      run.audit(allProducts(view, store), progress);
      return run.report(store.location(), (System.nanoTime() - start) / 1e9);
    }
  }

  /**
   * Every product of the view, in no particular order: a vector search for as many products as the
   * store holds. The filter (no product has an empty id) makes the search exact, or a walk of the
   * whole graph, rather than a beam that may stop early.
   */
  static List<ProductMatch> allProducts(StoreView view, SearchStore store) {
    long total = store.sizes().products();
    if (total == 0) {
      return List.of();
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(store.location() + " holds too many products to audit");
    }
    float[] probe = new float[store.metadata().dimension()];
    probe[0] = 1;
    List<ProductMatch> all = view.knn(probe, (int) total, ProductFilter.NONE.excluding(""));
    if (all.size() < total) {
      LOG.warn(
          "{}: the search reached {} of {} products; the others are not audited",
          store.location(),
          all.size(),
          total);
    }
    List<ProductMatch> sorted = new ArrayList<>(all);
    sorted.sort(Comparator.comparing(ProductMatch::productId));
    return sorted;
  }

  /** The distinct product categories: facet paths on which more products sit than below them. */
  static List<String> categories(StoreView view, List<ProductMatch> products) {
    List<FacetValue> paths =
        view.facets(products, List.of(FacetCounts.CATEGORY), Integer.MAX_VALUE)
            .get(FacetCounts.CATEGORY);
    Map<String, Integer> below = new HashMap<>();
    for (FacetValue path : paths) {
      List<String> ancestors = Product.ancestorsOf(path.value());
      if (ancestors.size() > 1) {
        below.merge(ancestors.get(ancestors.size() - 2), path.count(), Integer::sum);
      }
    }
    Set<String> out = new TreeSet<>();
    for (FacetValue path : paths) {
      if (path.count() > below.getOrDefault(path.value(), 0)) {
        out.add(path.value());
      }
    }
    return List.copyOf(out);
  }

  /** The state of one audit over one view. */
  private final class Run {
    private final StoreView view;
    private final double scale = ZeroShotClassifier.logitScale(model.spec());
    private List<String> categories = List.of();
    private Map<String, Integer> categoryIndex = Map.of();
    private float[][] categoryVectors = new float[0][];
    private float[][] placeholderVectors;
    private final List<Found<CategoryMismatch>> mismatches = new ArrayList<>();
    private final List<Found<PlaceholderImage>> placeholders = new ArrayList<>();
    private final UnionFind duplicates = new UnionFind();
    private final Map<String, ImageRecord> duplicateRecords = new HashMap<>();
    private final Map<String, ImageRef> duplicateRefs = new HashMap<>();
    private final Map<String, String> titles = new HashMap<>();
    private long products;
    private long images;
    private long withoutCategory;

    Run(StoreView view) {
      this.view = view;
      this.placeholderVectors = model.encodeTexts(settings.placeholderPrompts());
    }

    void audit(List<ProductMatch> all, LongConsumer progress) {
      categories = categories(view, all);
      Map<String, Integer> index = new HashMap<>();
      List<String> prompts = new ArrayList<>();
      for (String category : categories) {
        index.put(category, index.size());
        prompts.add(settings.promptFor(category));
      }
      categoryIndex = index;
      categoryVectors = prompts.isEmpty() ? new float[0][] : model.encodeTexts(prompts);
      for (int from = 0; from < all.size(); from += BATCH) {
        List<ProductMatch> batch = all.subList(from, Math.min(all.size(), from + BATCH));
        List<Loaded> loaded = new ArrayList<>(batch.size());
        for (ProductMatch match : batch) {
          Optional<ProductRecord> record = view.product(match.productId());
          Optional<List<float[]>> vectors = view.imageVectors(match.productId());
          if (record.isPresent() && vectors.isPresent()) {
            Product product = ProductJson.read(record.get().json());
            loaded.add(new Loaded(product, record.get().images(), vectors.get()));
          }
        }
        float[][] titleVectors =
            model.encodeTexts(
                loaded.stream()
                    .map(l -> l.product().title() == null ? "" : l.product().title())
                    .toList());
        for (int i = 0; i < loaded.size(); i++) {
          audit(loaded.get(i), titleVectors[i]);
        }
        progress.accept(batch.size());
      }
    }

    private void audit(Loaded p, float[] titleVector) {
      products++;
      images += p.vectors().size();
      String id = p.product().id();
      titles.put(id, p.product().title());
      String category = p.product().normalizedCategory();
      Integer stored = category == null ? null : categoryIndex.get(category);
      boolean[] placeholder = new boolean[p.vectors().size()];
      for (int i = 0; i < p.vectors().size(); i++) {
        float[] vector = p.vectors().get(i);
        ImageRecord image = p.images().get(i);
        placeholder[i] = checkPlaceholder(p, image, vector, titleVector);
        findDuplicates(p, image, vector);
      }
      if (stored == null) {
        withoutCategory++;
      } else {
        checkCategory(p, stored, placeholder);
      }
    }

    /**
     * Classifies the product's images, placeholder-looking ones left out (they say nothing of the
     * category), and reports it when another category wins by more than the margin.
     */
    private void checkCategory(Loaded p, int stored, boolean[] placeholder) {
      List<float[]> photos = new ArrayList<>();
      ImageRecord shown = null;
      for (int i = 0; i < placeholder.length; i++) {
        if (!placeholder[i]) {
          photos.add(p.vectors().get(i));
          shown = shown == null ? p.images().get(i) : shown;
        }
      }
      if (photos.isEmpty() || categories.size() < 2) {
        return;
      }
      double[] mean = new double[categories.size()];
      for (float[] vector : photos) {
        double[] probabilities =
            ZeroShotClassifier.probabilities(similarities(vector, categoryVectors), scale);
        for (int c = 0; c < mean.length; c++) {
          mean[c] += probabilities[c] / photos.size();
        }
      }
      int best = argmax(mean);
      double margin = mean[best] - mean[stored];
      if (best != stored && margin > settings.categoryMargin()) {
        ImageRecord first = shown;
        mismatches.add(
            new Found<>(
                new CategoryMismatch(
                    ref(p, first),
                    categories.get(stored),
                    categories.get(best),
                    mean[stored],
                    mean[best],
                    margin),
                margin,
                List.of(first)));
      }
    }

    /**
     * Reports the image when a placeholder prompt is more probable than the product's title and
     * every catalog category (its own and the others: a photo of another product is misfiled or
     * copied, not a placeholder); returns whether it did.
     */
    private boolean checkPlaceholder(
        Loaded p, ImageRecord image, float[] vector, float[] titleVector) {
      int own = 1 + categoryVectors.length;
      float[][] prompts = new float[own + placeholderVectors.length][];
      prompts[0] = titleVector;
      System.arraycopy(categoryVectors, 0, prompts, 1, categoryVectors.length);
      System.arraycopy(placeholderVectors, 0, prompts, own, placeholderVectors.length);
      double[] probabilities =
          ZeroShotClassifier.probabilities(similarities(vector, prompts), scale);
      double ownBest = 0;
      for (int i = 0; i < own; i++) {
        ownBest = Math.max(ownBest, probabilities[i]);
      }
      int best = own;
      for (int i = own; i < probabilities.length; i++) {
        if (probabilities[i] > probabilities[best]) {
          best = i;
        }
      }
      double margin = probabilities[best] - ownBest;
      if (margin > settings.placeholderMargin()) {
        placeholders.add(
            new Found<>(
                new PlaceholderImage(
                    ref(p, image),
                    settings.placeholderPrompts().get(best - own),
                    probabilities[best],
                    ownBest,
                    margin),
                margin,
                List.of(image)));
        return true;
      }
      return false;
    }

    private void findDuplicates(Loaded p, ImageRecord image, float[] vector) {
      String id = p.product().id();
      List<ProductMatch> near =
          view.knn(vector, settings.neighbours(), ProductFilter.NONE.excluding(id));
      for (ProductMatch match : near) {
        if (match.score() < settings.duplicateThreshold() - CANDIDATE_SLACK) {
          continue;
        }
        Optional<List<float[]>> others = view.imageVectors(match.productId());
        Optional<List<ImageRecord>> otherImages = view.images(match.productId());
        if (others.isEmpty() || otherImages.isEmpty()) {
          continue;
        }
        for (int j = 0; j < others.get().size(); j++) {
          double cosine = ZeroShotClassifier.dot(vector, others.get().get(j));
          if (cosine >= settings.duplicateThreshold()) {
            ImageRecord other = otherImages.get().get(j);
            ImageRef a = ref(p, image);
            ImageRef b =
                new ImageRef(
                    match.productId(), titleOf(match.productId()), other.index(), other.source());
            duplicateRefs.putIfAbsent(a.key(), a);
            duplicateRefs.putIfAbsent(b.key(), b);
            duplicateRecords.putIfAbsent(a.key(), image);
            duplicateRecords.putIfAbsent(b.key(), other);
            duplicates.union(a.key(), b.key(), cosine);
          }
        }
      }
    }

    private String titleOf(String id) {
      String title = titles.get(id);
      if (title == null) {
        title = view.product(id).map(r -> ProductJson.read(r.json()).title()).orElse(null);
      }
      return title;
    }

    AuditReport report(String location, double seconds) {
      Map<String, ImageRecord> shown = new LinkedHashMap<>();
      List<CategoryMismatch> topMismatches = top(mismatches, shown);
      List<PlaceholderImage> topPlaceholders = top(placeholders, shown);
      List<DuplicateGroup> groups = new ArrayList<>();
      int duplicateImages = 0;
      for (UnionFind.Component component : duplicates.components()) {
        List<ImageRef> members =
            component.members().stream()
                .map(duplicateRefs::get)
                .sorted(Comparator.comparing(ImageRef::productId).thenComparingInt(ImageRef::image))
                .toList();
        int distinct = (int) members.stream().map(ImageRef::productId).distinct().count();
        duplicateImages += members.size();
        groups.add(new DuplicateGroup(members, distinct, component.minWeight()));
      }
      groups.sort(
          Comparator.comparingInt((DuplicateGroup g) -> -g.images().size())
              .thenComparing(g -> g.images().get(0).key()));
      List<DuplicateGroup> topGroups = groups.subList(0, Math.min(groups.size(), settings.limit()));
      for (DuplicateGroup group : topGroups) {
        for (ImageRef member : group.images()) {
          shown.put(member.key(), duplicateRecords.get(member.key()));
        }
      }
      Map<String, String> thumbnails = new HashMap<>();
      shown.forEach(
          (key, record) ->
              view.thumbnail(record)
                  .ifPresent(
                      t ->
                          thumbnails.put(
                              key,
                              "data:"
                                  + t.mediaType()
                                  + ";base64,"
                                  + Base64.getEncoder().encodeToString(t.bytes()))));
      Counts counts =
          new Counts(
              products,
              images,
              withoutCategory,
              mismatches.size(),
              groups.size(),
              duplicateImages,
              placeholders.size(),
              seconds);
      return new AuditReport(
          location,
          model.id(),
          settings,
          counts,
          categories,
          topMismatches,
          topGroups,
          topPlaceholders,
          thumbnails);
    }

    /** The {@link AuditSettings#limit} largest margins first, ties by product id. */
    private <T> List<T> top(List<Found<T>> found, Map<String, ImageRecord> shown) {
      List<Found<T>> sorted = new ArrayList<>(found);
      sorted.sort(
          Comparator.comparingDouble((Found<T> f) -> -f.margin()).thenComparing(Found::key));
      List<T> out = new ArrayList<>();
      for (Found<T> f : sorted.subList(0, Math.min(sorted.size(), settings.limit()))) {
        out.add(f.entry());
        for (ImageRecord image : f.images()) {
          shown.put(f.key(), image);
        }
      }
      return out;
    }

    private ImageRef ref(Loaded p, ImageRecord image) {
      return new ImageRef(p.product().id(), p.product().title(), image.index(), image.source());
    }
  }

  /** A product as the audit reads it: its record, stored images and their vectors, aligned. */
  private record Loaded(Product product, List<ImageRecord> images, List<float[]> vectors) {
    Loaded {
      if (images.size() != vectors.size()) {
        throw new IllegalStateException(
            "product "
                + product.id()
                + ": "
                + images.size()
                + " images but "
                + vectors.size()
                + " vectors");
      }
    }
  }

  /** A finding before ranking, with the image it shows. */
  private record Found<T>(T entry, double margin, List<ImageRecord> images) {
    String key() {
      return switch (entry) {
        case CategoryMismatch m -> m.product().key();
        case PlaceholderImage p -> p.image().key();
        default -> "";
      };
    }
  }

  private static double[] similarities(float[] vector, float[][] prompts) {
    double[] out = new double[prompts.length];
    for (int i = 0; i < prompts.length; i++) {
      out[i] = ZeroShotClassifier.dot(vector, prompts[i]);
    }
    return out;
  }

  private static int argmax(double[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }

  /** Union-find over image keys, remembering the weakest pair that joined each component. */
  static final class UnionFind {
    private final Map<String, String> parent = new HashMap<>();
    private final Map<String, Double> minWeight = new HashMap<>();

    void union(String a, String b, double weight) {
      String ra = find(a);
      String rb = find(b);
      double w =
          Math.min(
              weight, Math.min(minWeight.getOrDefault(ra, 1.0), minWeight.getOrDefault(rb, 1.0)));
      if (!ra.equals(rb)) {
        parent.put(rb, ra);
        minWeight.remove(rb);
      }
      minWeight.put(ra, w);
    }

    String find(String x) {
      String root = x;
      while (true) {
        String p = parent.putIfAbsent(root, root);
        if (p == null || p.equals(root)) {
          break;
        }
        root = p;
      }
      while (!x.equals(root)) { // path compression
        String next = parent.get(x);
        parent.put(x, root);
        x = next;
      }
      return root;
    }

    record Component(List<String> members, double minWeight) {}

    List<Component> components() {
      Map<String, List<String>> byRoot = new LinkedHashMap<>();
      for (String x : new TreeSet<>(parent.keySet())) {
        byRoot.computeIfAbsent(find(x), r -> new ArrayList<>()).add(x);
      }
      List<Component> out = new ArrayList<>();
      byRoot.forEach(
          (root, members) -> out.add(new Component(members, minWeight.getOrDefault(root, 1.0))));
      return out;
    }
  }
}
