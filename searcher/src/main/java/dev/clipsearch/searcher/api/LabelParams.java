package dev.clipsearch.searcher.api;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks the {@code labels} of the zero-shot routes ({@code /api/classify}, {@code /api/detect}):
 * at least one, at most the route's limit, none empty or overlong; each is stripped. Failures are
 * 400s naming the parameter.
 */
final class LabelParams {

  static final String NAME = "labels";

  private LabelParams() {}

  /** The stripped labels, or a 400 naming what is wrong. */
  static List<String> check(List<String> given, int maxLabels) {
    if (given.isEmpty()) {
      throw ApiErrors.missingParameter(NAME, "at least one label is required in 'labels'");
    }
    if (given.size() > maxLabels) {
      throw ApiErrors.invalidParameter(
          NAME, "'labels' has " + given.size() + " labels; at most " + maxLabels);
    }
    List<String> labels = new ArrayList<>(given.size());
    for (String label : given) {
      String value = label == null ? "" : label.strip();
      if (value.isEmpty()) {
        throw ApiErrors.invalidParameter(NAME, "'labels' must not contain an empty label");
      }
      if (value.length() > SearchParams.MAX_FILTER_CHARS) {
        throw ApiErrors.invalidParameter(
            NAME, "a label is longer than " + SearchParams.MAX_FILTER_CHARS + " characters");
      }
      labels.add(value);
    }
    return labels;
  }
}
