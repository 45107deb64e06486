package dev.clipsearch.indexer.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.clipsearch.common.cli.ProgressBar;
import dev.clipsearch.indexer.index.CatalogIndex;
import dev.clipsearch.indexer.index.IndexMetadata;
import dev.clipsearch.indexer.index.IndexOpenException;
import dev.clipsearch.indexer.index.IndexStats;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code clipsearch stats --index DIR [--json]}: what an index holds, one {@code name: value} line
 * each, or one JSON object. Reads the last commit without taking the write lock, so it works while
 * an indexer runs. With {@code --solr URL --collection NAME} instead: the collection's products,
 * images, model and layout (shards, replicas, live nodes), in the same shape.
 */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = {
      "Show what an index holds: products, images, segments, size on disk, model, last commit.",
      "Reads the last commit; safe while an indexer is running."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:shown",
      "1:no index there, unreadable, or Solr unreachable",
      "2:usage error"
    })
public final class StatsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin StoreOptions store;

  @Option(names = "--json", description = "Print one JSON object instead of name: value lines.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    StoreTarget target = store.target();
    if (target instanceof StoreTarget.Solr solr) {
      return solrStats(solr, out, err);
    }
    Path index = ((StoreTarget.Embedded) target).dir();
    IndexStats stats;
    try {
      stats = CatalogIndex.stats(index);
    } catch (IndexOpenException e) {
      err.println("clipsearch stats: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("clipsearch stats: cannot read the index at " + index + ": " + e);
      return 1;
    }
    if (json) {
      out.println(toJson(stats));
    } else {
      toLines(stats).forEach((name, value) -> out.println(name + ": " + value));
    }
    out.flush();
    return 0;
  }

  private int solrStats(StoreTarget.Solr target, PrintWriter out, PrintWriter err) {
    Map<String, Object> stats;
    try {
      stats = SolrStores.stats(target);
    } catch (IOException e) {
      err.println("clipsearch stats: " + e.getMessage());
      return 1;
    }
    if (json) {
      out.println(writeJson(stats));
    } else {
      stats.forEach(
          (name, value) ->
              out.println(
                  name.replace('_', ' ')
                      + ": "
                      + (value instanceof Long n ? ProgressBar.formatCount(n) : value)));
    }
    out.flush();
    return 0;
  }

  static Map<String, String> toLines(IndexStats s) {
    IndexMetadata m = s.metadata();
    Map<String, String> lines = new LinkedHashMap<>();
    lines.put("index", s.directory().toAbsolutePath().toString());
    lines.put("products", ProgressBar.formatCount(s.products()));
    lines.put("images", ProgressBar.formatCount(s.images()));
    lines.put("segments", Integer.toString(s.segments()));
    lines.put("deleted documents", ProgressBar.formatCount(s.deletedDocuments()));
    lines.put(
        "size on disk",
        ProgressBar.formatBytes(s.sizeOnDiskBytes()) + " (" + s.sizeOnDiskBytes() + " bytes)");
    lines.put("model", m.modelId() + " (dimension " + m.dimension() + ")");
    lines.put("preprocessing", IndexMetadataText.preprocess(m));
    lines.put("vector field", m.vectorField() + " (DOT_PRODUCT)");
    lines.put("quantization", m.settings().quantization().code());
    lines.put("hnsw", "m=" + m.settings().hnswM() + ", beam width=" + m.settings().hnswBeamWidth());
    lines.put(
        "thumbnails",
        m.settings().thumbnailSize() == 0 ? "none" : m.settings().thumbnailSize() + " px JPEG");
    lines.put("format version", Integer.toString(m.formatVersion()));
    lines.put("created", m.created().toString());
    lines.put("last commit", s.lastCommit() == null ? "unknown" : s.lastCommit().toString());
    lines.put("last run", s.lastRun());
    return lines;
  }

  static String toJson(IndexStats s) {
    IndexMetadata m = s.metadata();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("index", s.directory().toAbsolutePath().toString());
    out.put("products", s.products());
    out.put("images", s.images());
    out.put("segments", s.segments());
    out.put("deleted_documents", s.deletedDocuments());
    out.put("size_on_disk_bytes", s.sizeOnDiskBytes());
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("id", m.modelId());
    model.put("dimension", m.dimension());
    model.put("image_size", m.preprocess().size());
    model.put("mean", m.preprocess().mean());
    model.put("std", m.preprocess().std());
    out.put("model", model);
    out.put("vector_field", m.vectorField());
    out.put("similarity", "DOT_PRODUCT");
    out.put("quantization", m.settings().quantization().code());
    out.put("hnsw_m", m.settings().hnswM());
    out.put("hnsw_beam_width", m.settings().hnswBeamWidth());
    out.put("thumbnail_size", m.settings().thumbnailSize());
    out.put("format_version", m.formatVersion());
    out.put("created", m.created().toString());
    out.put("last_commit", s.lastCommit() == null ? null : s.lastCommit().toString());
    out.put("last_run", s.lastRun());
    return writeJson(out);
  }

  private static String writeJson(Map<String, Object> out) {
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
