package dev.clipsearch.indexer.catalog;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/** Opening catalog files: gzip by extension, UTF-8, a leading byte-order mark skipped. */
final class CatalogFiles {

  private static final int BUFFER = 1 << 16;

  private CatalogFiles() {}

  static Reader openText(Path catalog) throws IOException {
    InputStream in;
    try {
      in = new BufferedInputStream(Files.newInputStream(catalog), BUFFER);
    } catch (NoSuchFileException e) {
      throw new CatalogException(catalog, 0, "no such file", e);
    } catch (IOException e) {
      throw new CatalogException(catalog, 0, "cannot open: " + e.getMessage(), e);
    }
    try {
      if (catalog.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz")) {
        in = new GZIPInputStream(in, BUFFER);
      }
      PushbackReader reader =
          new PushbackReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1);
      int first = reader.read();
      if (first != -1 && first != '\uFEFF') {
        reader.unread(first);
      }
      return reader;
    } catch (IOException e) {
      in.close();
      throw new CatalogException(catalog, 0, "cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * Counts the lines of a catalog quickly (no parsing), for a progress estimate. Returns -1 when
   * the file cannot be read; the real reader reports that properly.
   */
  static long countLines(Path catalog) {
    try (Reader reader = openText(catalog)) {
      char[] buffer = new char[BUFFER];
      long lines = 0;
      boolean pending = false;
      int n;
      while ((n = reader.read(buffer)) != -1) {
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n') {
            lines++;
            pending = false;
          } else {
            pending = true;
          }
        }
      }
      return pending ? lines + 1 : lines;
    } catch (IOException e) {
      return -1;
    }
  }
}
