package dev.clipsearch.indexer.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.clipsearch.common.io.AtomicFiles;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The {@code --report FILE} of a bulk run, streamed: each failed or partially indexed product is
 * written as it happens (memory stays flat however many fail), the summary at the end. The report
 * is written to {@code FILE.partial} and renamed to {@code FILE} by {@link #finish}, so {@code
 * FILE} is always a complete JSON document; a run killed half way leaves its {@code .partial}.
 *
 * <pre>{@code
 * {
 *   "run": {"catalog": "...", "index": "...", "started": "..."},
 *   "failures": [
 *     {"line": 3, "id": "p3", "status": "skipped", "reason": "no_usable_image",
 *      "message": "...", "images": [{"index": 0, "source": "a.jpg",
 *                                    "reason": "corrupt_image", "message": "..."}]},
 *     {"line": 9, "id": "p9", "status": "partial", "message": "...", "images": [...]}
 *   ],
 *   "summary": {...}
 * }
 * }</pre>
 *
 * Thread-safe.
 */
public final class JsonReportWriter implements Closeable {

  private static final ObjectMapper MAPPER =
      new ObjectMapper().disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);

  private final Path target;
  private final Path partial;
  private final JsonGenerator json;
  private boolean finished;

  private JsonReportWriter(Path target, Path partial, JsonGenerator json) {
    this.target = target;
    this.partial = partial;
    this.json = json;
  }

  /** Starts a report at {@code file}, with {@code run} describing the run. */
  public static JsonReportWriter create(Path file, Map<String, Object> run) throws IOException {
    Path absolute = file.toAbsolutePath();
    if (absolute.getParent() != null) {
      Files.createDirectories(absolute.getParent());
    }
    Path partial = absolute.resolveSibling(absolute.getFileName() + ".partial");
    JsonGenerator json =
        MAPPER.getFactory().createGenerator(Files.newOutputStream(partial), JsonEncoding.UTF8);
    json.useDefaultPrettyPrinter();
    json.writeStartObject();
    json.writeFieldName("run");
    MAPPER.writeValue(json, run);
    json.writeArrayFieldStart("failures");
    return new JsonReportWriter(absolute, partial, json);
  }

  /** Appends one failure. */
  public synchronized void write(ProductFailure failure) {
    if (finished) {
      throw new IllegalStateException("the report is finished");
    }
    try {
      json.writeStartObject();
      json.writeNumberField("line", failure.line());
      if (failure.productId() != null) {
        json.writeStringField("id", failure.productId());
      } else {
        json.writeNullField("id");
      }
      json.writeStringField(
          "status", failure.outcome() == ProductFailure.Outcome.SKIPPED ? "skipped" : "partial");
      if (failure.reason() != null) {
        json.writeStringField("reason", failure.reason().code());
      }
      json.writeStringField("message", failure.message());
      json.writeArrayFieldStart("images");
      for (ImageFailure image : failure.images()) {
        json.writeStartObject();
        json.writeNumberField("index", image.index());
        json.writeStringField("source", image.source());
        json.writeStringField("reason", image.reason().code());
        json.writeStringField("message", image.message());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report " + partial, e);
    }
  }

  /** Writes the summary, closes the document and moves it into place. */
  public synchronized void finish(Map<String, Object> summary) throws IOException {
    if (finished) {
      return;
    }
    finished = true;
    json.writeEndArray();
    json.writeFieldName("summary");
    MAPPER.writeValue(json, summary);
    json.writeEndObject();
    json.close();
    AtomicFiles.replace(partial, target);
  }

  /** The report file (complete once {@link #finish} returned). */
  public Path path() {
    return target;
  }

  /** Closes without finishing: the {@code .partial} file stays for inspection. */
  @Override
  public synchronized void close() throws IOException {
    if (!finished) {
      finished = true;
      json.close();
    }
  }
}
