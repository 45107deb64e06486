package dev.clipsearch.indexer.catalog;

import dev.clipsearch.indexer.report.FailureReason;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

/**
 * Reads a CSV (or TSV) catalog with a header line naming the fields (case-insensitive; see {@link
 * ProductParser} for the columns). RFC 4180 quoting; cells may span lines. A record whose number of
 * cells differs from the header's is reported as {@link FailureReason#MALFORMED_LINE} (the classic
 * unquoted comma). A quoting error the parser cannot recover from ends the file with a {@link
 * CatalogException} naming the line.
 */
public final class CsvCatalogReader implements CatalogReader {

  private final Path catalog;
  private final CSVParser parser;
  private final Iterator<CSVRecord> records;
  private final List<String> header;
  private final ProductParser products = new ProductParser();
  private long nextLine = 2;

  CsvCatalogReader(Path catalog, char delimiter) throws IOException {
    this.catalog = catalog;
    Reader reader = CatalogFiles.openText(catalog);
    CSVFormat format =
        CSVFormat.RFC4180
            .builder()
            .setDelimiter(delimiter)
            .setHeader()
            .setSkipHeaderRecord(true)
            .setIgnoreEmptyLines(true)
            .setIgnoreSurroundingSpaces(true)
            .setDuplicateHeaderMode(DuplicateHeaderMode.DISALLOW)
            .setAllowMissingColumnNames(false)
            .get();
    try {
      this.parser = CSVParser.builder().setReader(reader).setFormat(format).get();
    } catch (IllegalArgumentException | UncheckedIOException e) {
      reader.close();
      throw new CatalogException(catalog, 1, "bad CSV header: " + e.getMessage(), e);
    }
    this.header =
        parser.getHeaderNames().stream()
            .map(name -> name.strip().toLowerCase(Locale.ROOT))
            .toList();
    if (!header.contains("id")) {
      parser.close();
      throw new CatalogException(
          catalog, 1, "the CSV header has no \"id\" column (columns: " + header + ")", null);
    }
    this.records = parser.iterator();
  }

  @Override
  public CatalogItem next() throws IOException {
    CSVRecord record;
    long line = nextLine;
    try {
      if (!records.hasNext()) {
        return null;
      }
      record = records.next();
    } catch (UncheckedIOException | IllegalStateException e) {
      throw new CatalogException(
          catalog,
          line,
          "CSV syntax error, the rest of the file is not read: " + e.getMessage(),
          e);
    }
    nextLine = parser.getCurrentLineNumber() + 1;
    if (!record.isConsistent()) {
      return new CatalogItem.Invalid(
          line,
          null,
          FailureReason.MALFORMED_LINE,
          "record has " + record.size() + " cells, the header has " + header.size());
    }
    Map<String, String> cells = new LinkedHashMap<>();
    for (int i = 0; i < header.size(); i++) {
      cells.put(header.get(i), record.get(i));
    }
    try {
      return new CatalogItem.Valid(line, products.fromCsv(cells));
    } catch (InvalidProductException e) {
      return new CatalogItem.Invalid(line, e.productId(), e.reason(), e.getMessage());
    }
  }

  @Override
  public void close() throws IOException {
    parser.close();
  }
}
