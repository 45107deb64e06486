package dev.clipsearch.indexer.tag;

import dev.clipsearch.indexer.store.IndexedProduct;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One attribute of an attributes file: its name, the values a product can get, and the prompt
 * template each value is put into before the text tower encodes it ({@code "a photo of a {}
 * product"} gives {@code "a photo of a red product"}).
 *
 * @param name the attribute, {@value IndexedProduct#ATTRIBUTE_NAME_PATTERN}; stored as the facet
 *     {@code attr.<name>}
 * @param values at least two distinct values, in file order
 * @param template the prompt, with {@value #PLACEHOLDER} once where the value goes
 */
public record AttributeSpec(String name, List<String> values, String template) {

  /** Where the value goes in a template. */
  public static final String PLACEHOLDER = "{}";

  /** The template of an attribute whose line names none. */
  public static final String DEFAULT_TEMPLATE = "a photo of a {} product";

  public AttributeSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(template, "template");
    if (!IndexedProduct.isAttributeName(name)) {
      throw new IllegalArgumentException(
          "attribute name '"
              + name
              + "' must be lowercase letters, digits and underscores ("
              + IndexedProduct.ATTRIBUTE_NAME_PATTERN
              + ")");
    }
    values = List.copyOf(values);
    if (values.size() < 2) {
      throw new IllegalArgumentException(
          "attribute '"
              + name
              + "' needs at least two values to choose from, has "
              + values.size());
    }
    Set<String> seen = new HashSet<>();
    for (String value : values) {
      if (value.isBlank()) {
        throw new IllegalArgumentException("attribute '" + name + "' has an empty value");
      }
      if (!seen.add(value)) {
        throw new IllegalArgumentException(
            "attribute '" + name + "' lists value '" + value + "' twice");
      }
    }
    int at = template.indexOf(PLACEHOLDER);
    if (at < 0 || template.indexOf(PLACEHOLDER, at + 1) >= 0) {
      throw new IllegalArgumentException(
          "attribute '"
              + name
              + "': the prompt template must contain "
              + PLACEHOLDER
              + " exactly once, got '"
              + template
              + "'");
    }
  }

  /** The prompt of each value, in the order of {@link #values()}. */
  public List<String> prompts() {
    List<String> prompts = new ArrayList<>(values.size());
    for (String value : values) {
      prompts.add(template.replace(PLACEHOLDER, value));
    }
    return prompts;
  }

  /** The facet and filter field of this attribute: {@code attr.<name>}. */
  public String facet() {
    return IndexedProduct.ATTRIBUTE_FACET_PREFIX + name;
  }
}
