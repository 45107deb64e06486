package dev.clipsearch.models.text;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.models.ModelLoadException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Reading a Hugging Face {@code tokenizer.json} (the format of the {@code tokenizers} library): the
 * parts both tokenizers need, with errors that name the file and the field.
 */
final class HfTokenizerJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final JsonNode root;

  private HfTokenizerJson(Path file, JsonNode root) {
    this.file = file;
    this.root = root;
  }

  static HfTokenizerJson read(Path file) {
    JsonNode root;
    try (InputStream in = Files.newInputStream(file)) {
      root = JSON.readTree(in);
    } catch (NoSuchFileException e) {
      throw new ModelLoadException("tokenizer file not found: " + file, e);
    } catch (JacksonException e) {
      throw new ModelLoadException(
          file + ": not a valid JSON tokenizer file: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ModelLoadException("cannot read tokenizer file " + file + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new ModelLoadException(
          file + ": not a tokenizer.json (the top level is not a JSON object)");
    }
    return new HfTokenizerJson(file, root);
  }

  Path file() {
    return file;
  }

  JsonNode root() {
    return root;
  }

  /** The {@code model} object. */
  JsonNode model() {
    JsonNode model = root.get("model");
    if (model == null || !model.isObject()) {
      throw error("is not a Hugging Face tokenizer.json: it has no \"model\" object");
    }
    return model;
  }

  /** {@code model.type}: "BPE", "WordPiece", ... */
  String modelType() {
    JsonNode type = model().get("type");
    if (type == null || !type.isTextual()) {
      throw error("has no \"model.type\"");
    }
    return type.asText();
  }

  /** {@code model.vocab}, token to id. */
  Map<String, Integer> vocab() {
    JsonNode vocab = model().get("vocab");
    if (vocab == null || !vocab.isObject() || vocab.isEmpty()) {
      throw error("has no \"model.vocab\" object");
    }
    Map<String, Integer> map = new HashMap<>(vocab.size() * 2);
    for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (!entry.getValue().canConvertToInt() || entry.getValue().asInt() < 0) {
        throw error(
            "model.vocab maps \"" + entry.getKey() + "\" to " + entry.getValue() + ", not an id");
      }
      map.put(entry.getKey(), entry.getValue().asInt());
    }
    return map;
  }

  /** {@code added_tokens}, content to id, in file order. */
  Map<String, AddedToken> addedTokens() {
    Map<String, AddedToken> map = new LinkedHashMap<>();
    JsonNode added = root.get("added_tokens");
    if (added == null || added.isNull()) {
      return map;
    }
    if (!added.isArray()) {
      throw error("\"added_tokens\" is not an array");
    }
    for (JsonNode token : added) {
      JsonNode content = token.get("content");
      JsonNode id = token.get("id");
      if (content == null || !content.isTextual() || id == null || !id.canConvertToInt()) {
        throw error("has an added token without \"content\" and \"id\": " + token);
      }
      map.put(
          content.asText(),
          new AddedToken(content.asText(), id.asInt(), token.path("normalized").asBoolean(false)));
    }
    return map;
  }

  /** {@code padding.pad_id}, when the file configures padding. */
  OptionalInt paddingId() {
    JsonNode padId = root.path("padding").path("pad_id");
    return padId.canConvertToInt() ? OptionalInt.of(padId.asInt()) : OptionalInt.empty();
  }

  /** The id of a special token: from {@code added_tokens}, else from the vocabulary. */
  int specialTokenId(String content, Map<String, Integer> vocab) {
    AddedToken added = addedTokens().get(content);
    if (added != null) {
      return added.id();
    }
    Integer id = vocab.get(content);
    if (id == null) {
      throw error("has no token " + content + " (neither in added_tokens nor in model.vocab)");
    }
    return id;
  }

  ModelLoadException error(String what) {
    return new ModelLoadException(file + ": " + what);
  }

  /** An entry of {@code added_tokens}. */
  record AddedToken(String content, int id, boolean normalized) {}
}
