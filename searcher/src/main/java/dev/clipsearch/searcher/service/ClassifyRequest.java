package dev.clipsearch.searcher.service;

import java.util.List;
import java.util.Objects;

/**
 * Zero-shot classification of one image against free-text labels, as in CLIP's paper: each label is
 * put into a prompt template, and the image's similarity to every prompt is turned into
 * probabilities by a softmax over the model's scaled cosine similarities.
 *
 * @param image the encoded image file
 * @param labels the candidate labels, at least one, none blank
 * @param template the prompt, holding {@code {}} where the label goes; {@link #DEFAULT_TEMPLATE}
 *     when {@code null}
 */
public record ClassifyRequest(byte[] image, List<String> labels, String template) {

  /** CLIP's standard zero-shot prompt. */
  public static final String DEFAULT_TEMPLATE = "a photo of a {}";

  /** The placeholder replaced by each label. */
  public static final String PLACEHOLDER = "{}";

  public ClassifyRequest {
    Objects.requireNonNull(image, "image");
    labels = List.copyOf(labels);
    template = template == null ? DEFAULT_TEMPLATE : template;
  }

  /** The prompt for one label. */
  public String prompt(String label) {
    return template.replace(PLACEHOLDER, label);
  }
}
