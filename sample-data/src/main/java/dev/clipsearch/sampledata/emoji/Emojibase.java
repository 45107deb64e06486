package dev.clipsearch.sampledata.emoji;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.sampledata.SampleDataException;
import dev.clipsearch.sampledata.fetch.SafeTarGz;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads emojibase-data's English data set: {@code en/data.json} (one object per emoji: label,
 * emoji, tags, numeric group and subgroup) and {@code meta/groups.json} (the keys of those
 * numbers). Emoji without a group (regional indicators, skin tone modifiers) are left out.
 */
public final class Emojibase {

  /** The entry of the English data set in the emojibase-data tarball. */
  public static final String DATA_ENTRY = "package/en/data.json";

  /** The entry naming the numeric groups and subgroups in the emojibase-data tarball. */
  public static final String GROUPS_ENTRY = "package/meta/groups.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private Emojibase() {}

  /**
   * The emoji of the emojibase-data package {@code tarball}, read from its {@link #DATA_ENTRY} and
   * {@link #GROUPS_ENTRY}.
   *
   * @throws SampleDataException naming the tarball when an entry is missing, or as {@link #parse}
   */
  public static List<EmojiEntry> read(Path tarball) {
    Map<String, byte[]> files = new HashMap<>();
    SafeTarGz.forEachFile(
        tarball,
        (name, size, content) -> {
          if (name.equals(DATA_ENTRY) || name.equals(GROUPS_ENTRY)) {
            files.put(name, content.readAllBytes());
          }
        });
    for (String needed : List.of(DATA_ENTRY, GROUPS_ENTRY)) {
      if (!files.containsKey(needed)) {
        throw new SampleDataException(tarball + " has no " + needed);
      }
    }
    return parse(files.get(DATA_ENTRY), files.get(GROUPS_ENTRY));
  }

  /**
   * The emoji of {@code dataJson}, in file order, with group and subgroup keys from {@code
   * groupsJson}.
   *
   * @throws SampleDataException naming the file and the emoji when the data is malformed
   */
  public static List<EmojiEntry> parse(byte[] dataJson, byte[] groupsJson) {
    Map<Integer, String> groups = keysById(groupsJson, "groups");
    Map<Integer, String> subgroups = keysById(groupsJson, "subgroups");
    JsonNode data = read(dataJson, DATA_ENTRY);
    if (!data.isArray()) {
      throw new SampleDataException(DATA_ENTRY + ": expected a JSON array of emoji");
    }
    List<EmojiEntry> entries = new ArrayList<>(data.size());
    for (JsonNode node : data) {
      if (!node.hasNonNull("group") || !node.hasNonNull("subgroup")) {
        continue;
      }
      String label = text(node, "label");
      String group = keyOf(groups, node.get("group"), "group", label);
      String subgroup = keyOf(subgroups, node.get("subgroup"), "subgroup", label);
      List<String> tags = new ArrayList<>();
      node.path("tags").forEach(tag -> tags.add(tag.asText()));
      entries.add(
          new EmojiEntry(
              label, text(node, "emoji"), tags, group, subgroup, node.path("order").asInt(-1)));
    }
    return entries;
  }

  private static Map<Integer, String> keysById(byte[] groupsJson, String field) {
    JsonNode table = read(groupsJson, GROUPS_ENTRY).path(field);
    if (!table.isObject() || table.isEmpty()) {
      throw new SampleDataException(GROUPS_ENTRY + ": no '" + field + "' table");
    }
    Map<Integer, String> keys = new HashMap<>();
    table
        .properties()
        .forEach(
            e -> {
              try {
                keys.put(Integer.parseInt(e.getKey()), e.getValue().asText());
              } catch (NumberFormatException ex) {
                throw new SampleDataException(
                    GROUPS_ENTRY + ": '" + field + "' key is not a number: " + e.getKey(), ex);
              }
            });
    return keys;
  }

  private static String keyOf(Map<Integer, String> keys, JsonNode id, String what, String label) {
    String key = id.canConvertToInt() ? keys.get(id.asInt()) : null;
    if (key == null) {
      throw new SampleDataException(
          DATA_ENTRY + ": emoji '" + label + "' has unknown " + what + " " + id);
    }
    return key;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isEmpty()) {
      throw new SampleDataException(
          DATA_ENTRY + ": an emoji has no '" + field + "': " + abbreviate(node.toString()));
    }
    return value.asText();
  }

  private static JsonNode read(byte[] json, String file) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new SampleDataException(file + " is not valid JSON: " + e.getMessage(), e);
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }
}
