package dev.clipsearch.models.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** An immutable set of code points stored as sorted ranges, looked up by binary search. */
final class CodePointSet {

  private final int[] starts;
  private final int[] ends;

  private CodePointSet(int[] starts, int[] ends) {
    this.starts = starts;
    this.ends = ends;
  }

  /** Parses {@code "START-END,START-END,..."} (hex, inclusive, ascending, disjoint). */
  static CodePointSet parse(String ranges) {
    String[] parts = ranges.isEmpty() ? new String[0] : ranges.split(",");
    int[] starts = new int[parts.length];
    int[] ends = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      int dash = parts[i].indexOf('-');
      starts[i] = Integer.parseInt(parts[i].substring(0, dash), 16);
      ends[i] = Integer.parseInt(parts[i].substring(dash + 1), 16);
      if (ends[i] < starts[i] || (i > 0 && starts[i] <= ends[i - 1])) {
        throw new IllegalArgumentException("ranges not ascending and disjoint at " + parts[i]);
      }
    }
    return new CodePointSet(starts, ends);
  }

  /**
   * Reads a table resource beside this class: lines {@code NAME<TAB>ranges}, {@code #} comments.
   */
  static Map<String, CodePointSet> readTable(String resource) {
    Map<String, CodePointSet> sets = new HashMap<>();
    try (InputStream in = CodePointSet.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "missing resource " + resource + " beside " + CodePointSet.class);
      }
      BufferedReader reader =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        int tab = line.indexOf('\t');
        sets.put(line.substring(0, tab), parse(line.substring(tab + 1)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
    return Map.copyOf(sets);
  }

  boolean contains(int cp) {
    int lo = 0;
    int hi = starts.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (cp < starts[mid]) {
        hi = mid - 1;
      } else if (cp > ends[mid]) {
        lo = mid + 1;
      } else {
        return true;
      }
    }
    return false;
  }
}
