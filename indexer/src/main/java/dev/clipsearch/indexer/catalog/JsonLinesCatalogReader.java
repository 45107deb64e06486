package dev.clipsearch.indexer.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clipsearch.indexer.report.FailureReason;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;

/**
 * Reads a JSON Lines catalog: one JSON object per line; blank lines are ignored. A line that is not
 * a JSON object, holds trailing garbage or duplicate keys, or is longer than {@value
 * #MAX_LINE_CHARS} characters is reported as {@link FailureReason#MALFORMED_LINE} and skipped; the
 * next line is read normally.
 */
public final class JsonLinesCatalogReader implements CatalogReader {

  /** The longest line read; longer ones are skipped without being held in memory. */
  public static final int MAX_LINE_CHARS = 4 << 20;

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  private final Path catalog;
  private final Reader reader;
  private final ProductParser parser = new ProductParser();
  private final StringBuilder line = new StringBuilder();
  private long lineNumber;
  private boolean eof;

  JsonLinesCatalogReader(Path catalog) throws IOException {
    this.catalog = catalog;
    this.reader = CatalogFiles.openText(catalog);
  }

  @Override
  public CatalogItem next() throws IOException {
    while (!eof) {
      boolean tooLong = readLine();
      if (tooLong) {
        return new CatalogItem.Invalid(
            lineNumber,
            null,
            FailureReason.MALFORMED_LINE,
            "line is longer than " + MAX_LINE_CHARS + " characters");
      }
      if (line.toString().isBlank()) {
        continue;
      }
      return parse(line.toString());
    }
    return null;
  }

  private CatalogItem parse(String text) {
    JsonNode node;
    try {
      node = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      return new CatalogItem.Invalid(
          lineNumber,
          null,
          FailureReason.MALFORMED_LINE,
          "invalid JSON: " + e.getOriginalMessage());
    }
    if (!(node instanceof ObjectNode object)) {
      return new CatalogItem.Invalid(
          lineNumber,
          null,
          FailureReason.MALFORMED_LINE,
          "expected a JSON object, got " + (node == null ? "nothing" : node.getNodeType()));
    }
    try {
      return new CatalogItem.Valid(lineNumber, parser.fromJson(object));
    } catch (InvalidProductException e) {
      return new CatalogItem.Invalid(lineNumber, e.productId(), e.reason(), e.getMessage());
    }
  }

  /** Reads the next line into {@link #line}; returns true when it was too long (and dropped). */
  private boolean readLine() throws IOException {
    line.setLength(0);
    lineNumber++;
    boolean tooLong = false;
    while (true) {
      int c;
      try {
        c = reader.read();
      } catch (IOException e) {
        throw new CatalogException(catalog, lineNumber, "cannot read: " + e.getMessage(), e);
      }
      if (c == -1) {
        eof = true;
        return tooLong;
      }
      if (c == '\n') {
        int last = line.length() - 1;
        if (last >= 0 && line.charAt(last) == '\r') {
          line.setLength(last);
        }
        return tooLong;
      }
      if (!tooLong) {
        if (line.length() >= MAX_LINE_CHARS) {
          tooLong = true;
          line.setLength(0);
        } else {
          line.append((char) c);
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
