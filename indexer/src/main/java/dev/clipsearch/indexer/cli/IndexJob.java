package dev.clipsearch.indexer.cli;

import dev.clipsearch.indexer.catalog.CatalogFormat;
import dev.clipsearch.indexer.fetch.FetchConfig;
import dev.clipsearch.indexer.index.IndexSettings;
import dev.clipsearch.indexer.index.Quantization;
import dev.clipsearch.indexer.pipeline.IndexingConfig;
import dev.clipsearch.indexer.tag.AttributeFile;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.image.DecodeMode;
import dev.clipsearch.models.image.ImageLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One {@code clipsearch index} run, typed: what {@link IndexCommand} builds from its options, and
 * what another launcher (the demo) builds directly, then hands to {@link IndexCommand#run}. Holds
 * nothing that still needs parsing or the environment.
 *
 * @param store where the products go: an index directory or a SolrCloud collection, created if
 *     missing
 * @param modelDir the model directory (a cached model's name already resolved)
 * @param runtime where and how the model runs; a batch size left to the device replaces the
 *     pipeline's once the model is loaded
 * @param indexing the pipeline: catalog, threads, batch size, commits, prune, error limit
 * @param settings the creation-only settings asked for
 * @param fetch how images are read and downloaded
 * @param imageLimits the decoder's pixel limit
 * @param decodeMode how photos are decoded: at full size, or large JPEGs at a reduced DCT scale
 * @param ramBufferMb Lucene's indexing buffer, in MB
 * @param report where to write the JSON failure report, or null for none
 * @param redrawProgress whether the progress bar redraws in place (a terminal) or logs lines
 * @param attributes the zero-shot attributes new and changed products get as they are written
 *     ({@code --attributes}), or null for none
 */
public record IndexJob(
    StoreTarget store,
    Path modelDir,
    RuntimeOptions runtime,
    IndexingConfig indexing,
    RequestedSettings settings,
    FetchConfig fetch,
    ImageLimits imageLimits,
    DecodeMode decodeMode,
    double ramBufferMb,
    Path report,
    boolean redrawProgress,
    AttributeFile attributes) {

  /** Lucene's indexing buffer unless told otherwise, in MB. */
  public static final double DEFAULT_RAM_BUFFER_MB = 256;

  /** How often the progress bar is updated. */
  static final Duration PROGRESS_INTERVAL = Duration.ofMillis(250);

  /** A job that tags nothing. */
  public IndexJob(
      StoreTarget store,
      Path modelDir,
      RuntimeOptions runtime,
      IndexingConfig indexing,
      RequestedSettings settings,
      FetchConfig fetch,
      ImageLimits imageLimits,
      DecodeMode decodeMode,
      double ramBufferMb,
      Path report,
      boolean redrawProgress) {
    this(
        store,
        modelDir,
        runtime,
        indexing,
        settings,
        fetch,
        imageLimits,
        decodeMode,
        ramBufferMb,
        report,
        redrawProgress,
        null);
  }

  public IndexJob {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(modelDir, "modelDir");
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(indexing, "indexing");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(fetch, "fetch");
    Objects.requireNonNull(imageLimits, "imageLimits");
    Objects.requireNonNull(decodeMode, "decodeMode");
    if (!(ramBufferMb > 0)) {
      throw new IllegalArgumentException("RAM buffer must be positive, got " + ramBufferMb + " MB");
    }
    if (runtime.batchSize() != RuntimeOptions.BY_DEVICE
        && runtime.batchSize() != indexing.batchSize()) {
      throw new IllegalArgumentException(
          "the model's batch size "
              + runtime.batchSize()
              + " differs from the pipeline's "
              + indexing.batchSize());
    }
  }

  /**
   * What {@code clipsearch index --catalog C --index I --model M --device D} runs: every other
   * option at its default (batch size, encoder sessions and precision chosen by the device in use,
   * exact decoding, no prune, no report, no progress bar redraw).
   */
  public static IndexJob defaults(
      Path catalog, CatalogFormat format, Path index, Path modelDir, Device device) {
    return new IndexJob(
        new StoreTarget.Embedded(index),
        modelDir,
        RuntimeOptions.byDevice().withDevice(device),
        IndexingConfig.defaults(catalog, format).withProgressInterval(PROGRESS_INTERVAL),
        RequestedSettings.NONE,
        FetchConfig.DEFAULTS,
        ImageLimits.DEFAULT,
        DecodeMode.EXACT,
        DEFAULT_RAM_BUFFER_MB,
        null,
        false);
  }

  /**
   * A copy with another pipeline configuration. A changed batch size becomes the model's too; an
   * unchanged one leaves the model's as it was (possibly left to the device).
   */
  public IndexJob withIndexing(IndexingConfig indexing) {
    RuntimeOptions options =
        indexing.batchSize() == this.indexing.batchSize()
            ? runtime
            : runtime.withBatchSize(indexing.batchSize());
    return copy(options, indexing, decodeMode, redrawProgress);
  }

  /** A copy that decodes photos this way. */
  public IndexJob withDecodeMode(DecodeMode mode) {
    return copy(runtime, indexing, mode, redrawProgress);
  }

  /** A copy that redraws its progress bar in place, or not. */
  public IndexJob withRedrawProgress(boolean redraw) {
    return copy(runtime, indexing, decodeMode, redraw);
  }

  /** A copy that tags new and changed products with these attributes (null: none). */
  public IndexJob withAttributes(AttributeFile attributes) {
    return copy(store, runtime, indexing, decodeMode, redrawProgress, attributes);
  }

  /** A copy that writes to another store (an index directory or a SolrCloud collection). */
  public IndexJob withStore(StoreTarget store) {
    return copy(store, runtime, indexing, decodeMode, redrawProgress, attributes);
  }

  private IndexJob copy(
      RuntimeOptions runtime, IndexingConfig indexing, DecodeMode decodeMode, boolean redraw) {
    return copy(store, runtime, indexing, decodeMode, redraw, attributes);
  }

  private IndexJob copy(
      StoreTarget store,
      RuntimeOptions runtime,
      IndexingConfig indexing,
      DecodeMode decodeMode,
      boolean redraw,
      AttributeFile attributes) {
    return new IndexJob(
        store,
        modelDir,
        runtime,
        indexing,
        settings,
        fetch,
        imageLimits,
        decodeMode,
        ramBufferMb,
        report,
        redraw,
        attributes);
  }

  /**
   * The settings fixed when an index is created, as asked for: each null one takes the default on a
   * new index and accepts whatever an existing index has.
   *
   * @param quantization how HNSW stores vectors
   * @param hnswM HNSW connections per node
   * @param hnswBeamWidth HNSW build beam width
   * @param thumbnailSize longer side of stored thumbnails, 0 for none
   */
  public record RequestedSettings(
      Quantization quantization, Integer hnswM, Integer hnswBeamWidth, Integer thumbnailSize) {

    /** Nothing asked for: defaults on a new index, anything on an existing one. */
    public static final RequestedSettings NONE = new RequestedSettings(null, null, null, null);

    /**
     * @throws IllegalArgumentException when a value is out of range
     */
    public RequestedSettings {
      forNewIndex();
    }

    /** The settings a new index is created with. */
    public IndexSettings forNewIndex() {
      IndexSettings s = IndexSettings.DEFAULTS;
      if (quantization != null) {
        s = s.withQuantization(quantization);
      }
      s =
          s.withHnsw(
              hnswM != null ? hnswM : s.hnswM(),
              hnswBeamWidth != null ? hnswBeamWidth : s.hnswBeamWidth());
      return thumbnailSize != null ? s.withThumbnailSize(thumbnailSize) : s;
    }

    /**
     * What was asked for and differs from an existing index's settings, one entry per option, such
     * as {@code --hnsw-m 32 (index: 16)}; empty when nothing conflicts.
     */
    public List<String> conflictsWith(IndexSettings actual) {
      List<String> conflicts = new ArrayList<>();
      if (quantization != null && quantization != actual.quantization()) {
        conflicts.add(
            "--quantization "
                + quantization.code()
                + " (index: "
                + actual.quantization().code()
                + ")");
      }
      if (hnswM != null && hnswM != actual.hnswM()) {
        conflicts.add("--hnsw-m " + hnswM + " (index: " + actual.hnswM() + ")");
      }
      if (hnswBeamWidth != null && hnswBeamWidth != actual.hnswBeamWidth()) {
        conflicts.add(
            "--hnsw-beam-width " + hnswBeamWidth + " (index: " + actual.hnswBeamWidth() + ")");
      }
      if (thumbnailSize != null && thumbnailSize != actual.thumbnailSize()) {
        conflicts.add(
            "--thumbnail-size " + thumbnailSize + " (index: " + actual.thumbnailSize() + ")");
      }
      return conflicts;
    }
  }
}
