package dev.clipsearch.indexer.crash;

import dev.clipsearch.indexer.fetch.FetchConfig;
import dev.clipsearch.indexer.fetch.ImageFetcher;
import dev.clipsearch.indexer.index.CatalogIndex;
import dev.clipsearch.indexer.index.IndexSettings;
import dev.clipsearch.indexer.pipeline.BulkIndexer;
import dev.clipsearch.indexer.pipeline.FailureListener;
import dev.clipsearch.indexer.pipeline.IndexingConfig;
import dev.clipsearch.indexer.pipeline.IndexingResult;
import dev.clipsearch.indexer.pipeline.ProgressListener;
import dev.clipsearch.indexer.testing.SimpleImageProcessor;
import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.ClipModels;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.RuntimeOptions;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The indexing process {@link CrashRecoveryTest} starts and kills: a bulk run with the real ONNX
 * runtime on a tiny generated model, committing every few products.
 *
 * <p>Arguments: catalog, index directory, model directory, commit-every, milliseconds per batch.
 */
public final class CrashTestMain {

  private CrashTestMain() {}

  public static void main(String[] args) throws Exception {
    Path catalog = Path.of(args[0]);
    Path indexDir = Path.of(args[1]);
    Path modelDir = Path.of(args[2]);
    int commitEvery = Integer.parseInt(args[3]);
    long millisPerBatch = Long.parseLong(args[4]);
    RuntimeOptions options =
        RuntimeOptions.defaults().withDevice(Device.CPU).withIntraOpThreads(1).withBatchSize(4);
    try (ClipModel model = new ThrottledModel(ClipModels.load(modelDir, options), millisPerBatch);
        CatalogIndex index =
            CatalogIndex.openOrCreate(
                indexDir, model.spec(), IndexSettings.DEFAULTS.withThumbnailSize(32));
        ImageFetcher fetcher = new ImageFetcher(FetchConfig.DEFAULTS)) {
      IndexingConfig config =
          IndexingConfig.defaults(catalog)
              .withBatchSize(4)
              .withThreads(1, 2)
              .withWriteThreads(3)
              .withCommits(commitEvery, Duration.ofMinutes(5));
      IndexingResult result =
          new BulkIndexer(
                  config,
                  index,
                  model,
                  fetcher,
                  new SimpleImageProcessor(model.spec().preprocess(), 32),
                  ProgressListener.NONE,
                  FailureListener.NONE)
              .run();
      System.out.println("RESULT " + result.summary());
    }
  }
}
