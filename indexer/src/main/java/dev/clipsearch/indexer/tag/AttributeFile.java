package dev.clipsearch.indexer.tag;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an attributes file: the attributes {@code clipsearch tag} gives every product. One
 * attribute a line, in UTF-8:
 *
 * <pre>
 * # comment lines start with #; blank lines are skipped
 * color: red, blue, black, white
 * material: leather, wood, metal | a photo of a product made of {}
 * </pre>
 *
 * <p>The name ({@code [a-z0-9_]+}) comes before the colon, the values after it, separated by
 * commas, at least two, none twice. After an optional {@code |} comes the line's prompt template,
 * with {@code {}} once where the value goes; without one, {@value AttributeSpec#DEFAULT_TEMPLATE}.
 * A value cannot contain a comma or {@code |}. Anything else is an error naming the file and line.
 */
public final class AttributeFile {

  private final String source;
  private final List<AttributeSpec> attributes;

  private AttributeFile(String source, List<AttributeSpec> attributes) {
    this.source = source;
    this.attributes = List.copyOf(attributes);
  }

  /** Reads and checks a file. */
  public static AttributeFile read(Path file) throws AttributeFileException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AttributeFileException(file, "cannot read the attributes file: " + e, e);
    }
    return parse(file.toString(), text);
  }

  /**
   * Parses the text of an attributes file.
   *
   * @param source the file's name, for messages
   */
  public static AttributeFile parse(String source, String text) throws AttributeFileException {
    List<AttributeSpec> attributes = new ArrayList<>();
    Map<String, Integer> lineOf = new HashMap<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int number = i + 1;
      String line = lines[i].strip();
      if (i == 0 && line.startsWith("\uFEFF")) {
        line = line.substring(1).strip();
      }
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      AttributeSpec spec = parseLine(source, number, line);
      Integer earlier = lineOf.putIfAbsent(spec.name(), number);
      if (earlier != null) {
        throw new AttributeFileException(
            source,
            number,
            "attribute '" + spec.name() + "' is already defined on line " + earlier);
      }
      attributes.add(spec);
    }
    if (attributes.isEmpty()) {
      throw new AttributeFileException(source, lines.length, "no attribute defined");
    }
    return new AttributeFile(source, attributes);
  }

  private static AttributeSpec parseLine(String source, int number, String line)
      throws AttributeFileException {
    int colon = line.indexOf(':');
    if (colon < 0) {
      throw new AttributeFileException(
          source, number, "expected 'name: value, value, ...', got '" + line + "'");
    }
    String name = line.substring(0, colon).strip();
    String rest = line.substring(colon + 1);
    String template = AttributeSpec.DEFAULT_TEMPLATE;
    int bar = rest.indexOf('|');
    if (bar >= 0) {
      template = rest.substring(bar + 1).strip();
      rest = rest.substring(0, bar);
      if (template.contains("|")) {
        throw new AttributeFileException(
            source, number, "more than one '|': a value cannot contain '|'");
      }
    }
    List<String> values = new ArrayList<>();
    for (String part : rest.split(",", -1)) {
      values.add(part.strip());
    }
    if (values.size() == 1 && values.get(0).isEmpty()) {
      values.clear();
    }
    try {
      return new AttributeSpec(name, values, template);
    } catch (IllegalArgumentException e) {
      throw new AttributeFileException(source, number, e.getMessage());
    }
  }

  /** Where the attributes were read from. */
  public String source() {
    return source;
  }

  /** The attributes, in file order. */
  public List<AttributeSpec> attributes() {
    return attributes;
  }
}
