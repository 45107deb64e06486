package dev.clipsearch.indexer.tag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttributeFileTest {

  @TempDir Path dir;

  @Test
  void reads_attributes_values_and_templates_skipping_comments_and_blank_lines() throws Exception {
    AttributeFile file =
        AttributeFile.parse(
            "attrs.txt",
            """
            # colours first
            color: red, blue ,black

              material:leather, wood, metal | a photo of a product made of {}
            """);
    List<AttributeSpec> specs = file.attributes();
    assertEquals(2, specs.size());
    assertEquals("color", specs.get(0).name());
    assertEquals(List.of("red", "blue", "black"), specs.get(0).values());
    assertEquals(AttributeSpec.DEFAULT_TEMPLATE, specs.get(0).template());
    assertEquals(
        List.of(
            "a photo of a red product", "a photo of a blue product", "a photo of a black product"),
        specs.get(0).prompts());
    assertEquals("attr.material", specs.get(1).facet());
    assertEquals("a photo of a product made of wood", specs.get(1).prompts().get(1));
  }

  @Test
  void reads_a_file_from_disk_with_windows_line_ends() throws Exception {
    Path path = dir.resolve("attributes.txt");
    Files.writeString(path, "color: red, blue\r\nshape: round, square\r\n");
    AttributeFile file = AttributeFile.read(path);
    assertEquals(2, file.attributes().size());
    assertEquals(List.of("round", "square"), file.attributes().get(1).values());
    assertEquals(path.toString(), file.source());
  }

  @Test
  void each_bad_line_is_an_error_naming_file_and_line() {
    assertError("color red, blue", "attrs.txt:2: expected 'name: value, value, ...'");
    assertError("Color: red, blue", "attrs.txt:2: attribute name 'Color' must be lowercase");
    assertError("attr.color: red, blue", "attrs.txt:2: attribute name 'attr.color'");
    assertError(": red, blue", "attrs.txt:2: attribute name ''");
    assertError("color: red", "attrs.txt:2: attribute 'color' needs at least two values");
    assertError(
        "color:", "attrs.txt:2: attribute 'color' needs at least two values to choose from, has 0");
    assertError("color: red,, blue", "attrs.txt:2: attribute 'color' has an empty value");
    assertError("color: red, blue, red", "attrs.txt:2: attribute 'color' lists value 'red' twice");
    assertError("color: red, blue | a photo", "attrs.txt:2: attribute 'color': the prompt");
    assertError("color: red, blue | {} and {}", "contain {} exactly once");
    assertError("color: red, blue | a {} | b", "attrs.txt:2: more than one '|'");
    assertError(
        "color: red, blue\ncolor: black, white",
        "attrs.txt:3: attribute 'color' is already defined on line 2");
  }

  @Test
  void a_file_without_any_attribute_is_an_error() {
    AttributeFileException e =
        assertThrows(
            AttributeFileException.class, () -> AttributeFile.parse("empty.txt", "# nothing\n\n"));
    assertTrue(e.getMessage().startsWith("empty.txt:"), e.getMessage());
    assertTrue(e.getMessage().contains("no attribute defined"), e.getMessage());
  }

  @Test
  void a_missing_file_is_an_error_naming_it() {
    Path missing = dir.resolve("missing.txt");
    AttributeFileException e =
        assertThrows(AttributeFileException.class, () -> AttributeFile.read(missing));
    assertTrue(e.getMessage().startsWith(missing.toString()), e.getMessage());
  }

  private static void assertError(String line, String expected) {
    AttributeFileException e =
        assertThrows(
            AttributeFileException.class,
            () -> AttributeFile.parse("attrs.txt", "# header\n" + line + "\n"),
            line);
    assertTrue(e.getMessage().contains(expected), line + " -> " + e.getMessage());
  }
}
