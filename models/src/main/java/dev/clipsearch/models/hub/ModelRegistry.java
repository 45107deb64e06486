package dev.clipsearch.models.hub;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The models {@code clipsearch models fetch} can download, listed explicitly.
 *
 * <p>{@link #CLIP_VIT_BASE_PATCH32} is OpenAI's CLIP ViT-B/32 ({@code
 * openai/clip-vit-base-patch32}) as exported to ONNX by transformers.js ({@code
 * Xenova/clip-vit-base-patch32}): separate image and text towers with the projection heads attached
 * ({@code image_embeds}, {@code text_embeds}), the Hugging Face {@code tokenizer.json}, {@code
 * preprocessor_config.json} and {@code config.json}.
 *
 * <p>Pinned to commit {@code d15189d7028b43f1d3e65039190477f6af591c2a}. Sizes and SHA-256 digests
 * were taken from public material, cross-checked where several sources exist: the Hugging Face file
 * pages of the repository (LFS "SHA256" of {@code onnx/vision_model.onnx}, {@code
 * onnx/text_model_quantized.onnx}); inventories generated from the Hub API tree at that commit and
 * published in open-source projects (LFS {@code oid} for the ONNX files; content SHA-256 of the
 * small JSON files, whose sizes also match the tree's). The downloader re-checks every file against
 * these values, and against the digest the Hub reports, so a wrong pin fails loudly, never
 * silently. It offers no fp16 variant: projects that download {@code onnx/*_fp16.onnx} from the
 * repository's {@code main} branch establish that they exist, but no size or digest was found to
 * pin them, and every file of a pinned model is pinned. An fp16 export copied into the model's
 * directory is used all the same ({@code --precision}).
 *
 * <p>{@link #CLIP_VIT_BASE_PATCH16} and {@link #CLIP_VIT_LARGE_PATCH14} are the same
 * transformers.js layout for the larger OpenAI CLIPs. Public material establishes their
 * repositories and file paths, but no commit, sizes or digests: they follow the {@code main}
 * branch, and each file is checked against the SHA-256 the hub reports when it is downloaded. Their
 * entries say so ({@code models list --known}). {@link #SIGLIP_BASE_PATCH16_224} is in the same
 * position.
 */
public final class ModelRegistry {

  /** The pinned commit of {@code Xenova/clip-vit-base-patch32}. */
  static final String XENOVA_CLIP_B32_REVISION = "d15189d7028b43f1d3e65039190477f6af591c2a";

  /** OpenAI CLIP ViT-B/32, ONNX, 512-dimensional embeddings: the default model. */
  public static final KnownModel CLIP_VIT_BASE_PATCH32 =
      new KnownModel(
          "clip-vit-base-patch32",
          List.of("openai/clip-vit-base-patch32", "xenova/clip-vit-base-patch32", "vit-b-32"),
          "OpenAI CLIP ViT-B/32, ONNX export by transformers.js, 512-d embeddings",
          "Xenova/clip-vit-base-patch32",
          XENOVA_CLIP_B32_REVISION,
          List.of(
              RemoteFile.pinned(
                  "config.json",
                  4_524,
                  "493ef57ff783e42d1530c91b53469b7fdf8db8a9c1408e86998fcb7899a4f495"),
              RemoteFile.pinned(
                  "preprocessor_config.json",
                  520,
                  "6f638fb9401a6d6296feff533ee7efe657b787c49f954f82f5906b36ef2a1b1f"),
              RemoteFile.pinned(
                  "tokenizer.json",
                  2_224_119,
                  "f7f3b7af117d467b58374797691a6438d3e6b9e9cef800dfd5dced7f697a90cd"),
              RemoteFile.pinned(
                  "tokenizer_config.json",
                  775,
                  "60ba2912bc6344c94bc16bbdec27fa1209409167b6f2fdf3cfe9e65462ea3967"),
              RemoteFile.pinned(
                  "special_tokens_map.json",
                  472,
                  "c4864a9376a8401918425bed71fc14fc0e81f9b59ec45c1cf96cccb2df508eac")),
          Map.of(
              ModelVariant.FP32,
              List.of(
                  RemoteFile.pinned(
                      "onnx/vision_model.onnx",
                      351_685_709,
                      "fd6e1402a588279d1723c7534d4bcba5bc0b14b47dfab0e46f8c47b8270d7d40"),
                  RemoteFile.pinned(
                      "onnx/text_model.onnx",
                      254_058_553,
                      "3f6571f5bad13a97c469c1622e1cfc4d9aef78b79fdbfcff804ca357bfada8cc")),
              ModelVariant.INT8,
              List.of(
                  RemoteFile.pinned(
                      "onnx/vision_model_int8.onnx",
                      88_648_877,
                      "0ab0c1b3ace708e539633af1744d5a95247fe4e14d3e08ff197ef82a6cb9bd93"),
                  RemoteFile.pinned(
                      "onnx/text_model_int8.onnx",
                      64_070_791,
                      "18845f2ccc35223bb7fec403383a131154b11ac0918df25cf51986df5efd3a21")),
              ModelVariant.Q8,
              List.of(
                  RemoteFile.pinned(
                      "onnx/vision_model_quantized.onnx",
                      89_117_001,
                      "583fd1110a514667812fee7d684952aaf82a99b959760c8d7dca7e0ab9839299"),
                  RemoteFile.pinned(
                      "onnx/text_model_quantized.onnx",
                      64_504_507,
                      "73baab855d406190da9faa498cfedf65f15cf309f4cc7385b7b032e6d08e5c3a"))),
          ModelVariant.FP32,
          new ModelFacts(
              512,
              List.of("en"),
              "general product photos with English queries; the smallest and fastest OpenAI"
                  + " CLIP (ViT-B/32, 224 px), the default"));

  /** OpenAI CLIP ViT-B/16, ONNX by transformers.js: finer patches than B/32, same dimension. */
  public static final KnownModel CLIP_VIT_BASE_PATCH16 =
      unpinnedTransformersJs(
          "clip-vit-base-patch16",
          List.of("openai/clip-vit-base-patch16", "xenova/clip-vit-base-patch16", "vit-b-16"),
          "OpenAI CLIP ViT-B/16, ONNX export by transformers.js, 512-d embeddings",
          "Xenova/clip-vit-base-patch16",
          new ModelFacts(
              512,
              List.of("en"),
              "better retrieval than B/32 on small details (16 px patches, 196 per image), about"
                  + " 4x the image compute; same index size"));

  /** OpenAI CLIP ViT-L/14, ONNX by transformers.js: the large tower, 768 dimensions. */
  public static final KnownModel CLIP_VIT_LARGE_PATCH14 =
      unpinnedTransformersJs(
          "clip-vit-large-patch14",
          List.of("openai/clip-vit-large-patch14", "xenova/clip-vit-large-patch14", "vit-l-14"),
          "OpenAI CLIP ViT-L/14, ONNX export by transformers.js, 768-d embeddings",
          "Xenova/clip-vit-large-patch14",
          new ModelFacts(
              768,
              List.of("en"),
              "the best retrieval of the OpenAI CLIPs listed, for shops that can pay for it: a"
                  + " GPU or a patient CPU (a vision graph over a gigabyte), 1.5x the index size"
                  + " of 512-d models"));

  /** The pinned commit of {@code sentence-transformers/clip-ViT-B-32-multilingual-v1}. */
  static final String ST_MULTILINGUAL_REVISION = "e5ec8447a7e1c7a01ec5f9c1b487f3a1fad33aef";

  /**
   * sentence-transformers' multilingual text tower for CLIP ViT-B/32 with OpenAI's B/32 image
   * tower: a multilingual DistilBERT distilled to CLIP's text space (mean pooling, a 768 to 512
   * Dense without bias), queries in 50+ languages against the image vectors of {@link
   * #CLIP_VIT_BASE_PATCH32}. The text tower's files come from {@code
   * sentence-transformers/clip-ViT-B-32-multilingual-v1} at a commit whose tree holds its ONNX
   * export ({@code onnx/model.onnx}: input_ids, attention_mask to token embeddings) and the Dense
   * weights in safetensors; the image tower's files from {@code Xenova/clip-vit-base-patch32} at
   * the pinned commit of {@link #CLIP_VIT_BASE_PATCH32}, into {@code image/}. Public material pins
   * {@code 2_Dense/config.json} (its 115 bytes appear verbatim in the commit that added it) and the
   * image files; the other text files have no published size or digest at that commit and are
   * checked against the SHA-256 the hub reports.
   */
  public static final KnownModel CLIP_VIT_B32_MULTILINGUAL =
      new KnownModel(
          "clip-vit-b-32-multilingual-v1",
          List.of(
              "sentence-transformers/clip-vit-b-32-multilingual-v1",
              "clip-vit-b-32-multilingual",
              "multilingual"),
          "multilingual text tower for CLIP ViT-B/32 (sentence-transformers, ONNX) with OpenAI's"
              + " B/32 image tower, 512-d embeddings",
          "sentence-transformers/clip-ViT-B-32-multilingual-v1",
          ST_MULTILINGUAL_REVISION,
          List.of(
              RemoteFile.unpinned("config.json"),
              RemoteFile.unpinned("modules.json"),
              RemoteFile.unpinned("sentence_bert_config.json"),
              RemoteFile.unpinned("tokenizer.json"),
              RemoteFile.unpinned("1_Pooling/config.json"),
              RemoteFile.pinned(
                  "2_Dense/config.json",
                  115,
                  "48f4dfaf605a6c2869cd200970e54911c6c15053781d2bdcf3e81e89e77662ed"),
              RemoteFile.unpinned("2_Dense/model.safetensors"),
              b32ImageFile("config.json"),
              b32ImageFile("preprocessor_config.json")),
          Map.of(
              ModelVariant.FP32,
              List.of(
                  RemoteFile.unpinned("onnx/model.onnx"), b32ImageFile("onnx/vision_model.onnx"))),
          ModelVariant.FP32,
          new ModelFacts(
              512,
              List.of(
                  "50+ languages (ar bg ca cs da de el en es et fa fi fr gl gu he hi hr hu hy id it"
                      + " ja ka ko ku lt lv mk mn mr ms my nb nl pl pt ro ru sk sl sq sr sv th tr uk"
                      + " ur vi zh)"),
              "shops whose shoppers search in their own language (German, Japanese, ...): the"
                  + " B/32 image vectors with a text tower distilled to CLIP's for 50+ languages;"
                  + " the card publishes no retrieval figure"));

  /**
   * Google's SigLIP base (ViT-B/16 at 224 px, sigmoid loss), ONNX by transformers.js: the same file
   * layout as the CLIP exports ({@code onnx/{vision,text}_model{,_quantized,_fp16}.onnx}, {@code
   * config.json} with model_type siglip, a SentencePiece Unigram {@code tokenizer.json}). Public
   * material establishes the repository, its file paths and commits, but no byte sizes or digests,
   * so it follows {@code main} and checks each file against the hub's SHA-256. The export holds
   * separate towers only: SigLIP's learned logit scale and bias are weights of the whole model
   * ({@code onnx/model.onnx}, not fetched), not in {@code config.json}, so zero-shot scores with
   * this entry are cosines (the sigmoid's order, no probabilities) unless config.json is given
   * {@code logit_scale} and {@code logit_bias} (models/MODEL_FORMAT.md).
   */
  public static final KnownModel SIGLIP_BASE_PATCH16_224 =
      unpinnedTransformersJs(
          "siglip-base-patch16-224",
          List.of("google/siglip-base-patch16-224", "xenova/siglip-base-patch16-224"),
          "Google SigLIP base ViT-B/16 224 px, ONNX export by transformers.js, 768-d embeddings",
          "Xenova/siglip-base-patch16-224",
          new ModelFacts(
              768,
              List.of("en"),
              "SigLIP (sigmoid loss): stronger zero-shot classification and retrieval than CLIP"
                  + " at the same size (the SigLIP paper, arXiv:2303.15343); the whole photo is"
                  + " squashed to 224 px, no crop; English queries up to 64 tokens; 1.5x the index"
                  + " size of 512-d models; classify gives cosines (no scale and bias in the"
                  + " export)"));

  /**
   * Google's OWL-ViT B/32 ({@code google/owlvit-base-patch32}), the zero-shot object detector, as
   * exported to ONNX by transformers.js ({@code Xenova/owlvit-base-patch32}): one graph, {@code
   * onnx/model.onnx} (fp32, about 612 MB) or {@code onnx/model_quantized.onnx} (q8, about 155 MB),
   * with inputs {@code pixel_values}, {@code input_ids}, {@code attention_mask} and outputs {@code
   * logits}, {@code pred_boxes}; CLIP's BPE {@code tokenizer.json}, {@code config.json} (projection
   * dimension 512) and {@code preprocessor_config.json} (768 px). For {@code serve --detector} and
   * {@code detect --detector}, not for {@code --model}: it is no CLIP.
   *
   * <p>Public material (the repository's file pages and commit list) establishes these paths and
   * commit {@code fc7afa5dda9974824cd5c89c0478280df53ed1f1}, but not the size and SHA-256 of every
   * file (LFS digests for only some of the files), and every file of a pinned model is pinned: so
   * it follows {@code main} like {@link #CLIP_VIT_BASE_PATCH16}, each file checked against the
   * SHA-256 the hub reports. The fp16 graph is not offered: the detector runs on the CPU only.
   */
  public static final KnownModel OWLVIT_BASE_PATCH32 =
      new KnownModel(
          "owlvit-base-patch32",
          List.of("google/owlvit-base-patch32", "xenova/owlvit-base-patch32", "owlvit-b-32"),
          "Google OWL-ViT B/32 zero-shot object detector, ONNX export by transformers.js",
          "Xenova/owlvit-base-patch32",
          "main",
          List.of(
              RemoteFile.unpinned("config.json"),
              RemoteFile.unpinned("preprocessor_config.json"),
              RemoteFile.unpinned("tokenizer.json"),
              RemoteFile.unpinned("tokenizer_config.json"),
              RemoteFile.unpinned("special_tokens_map.json")),
          Map.of(
              ModelVariant.FP32,
              List.of(RemoteFile.unpinned("onnx/model.onnx")),
              ModelVariant.Q8,
              List.of(RemoteFile.unpinned("onnx/model_quantized.onnx"))),
          ModelVariant.FP32,
          new ModelFacts(
              512,
              List.of("en"),
              "finds and boxes free-text queries in a photo (/api/detect, shop the look): 768 px"
                  + " input, 576 patches, each a box; several seconds per image on a CPU"));

  private static final ModelRegistry BUILT_IN =
      new ModelRegistry(
          List.of(
              CLIP_VIT_BASE_PATCH32,
              CLIP_VIT_BASE_PATCH16,
              CLIP_VIT_LARGE_PATCH14,
              CLIP_VIT_B32_MULTILINGUAL,
              SIGLIP_BASE_PATCH16_224,
              OWLVIT_BASE_PATCH32));

  /**
   * A pinned file of {@link #CLIP_VIT_BASE_PATCH32}'s repository at its commit, landing in {@code
   * image/}: the image tower of a model whose text tower comes from elsewhere.
   */
  private static RemoteFile b32ImageFile(String path) {
    RemoteFile file =
        CLIP_VIT_BASE_PATCH32.files(ModelVariant.FP32).stream()
            .filter(f -> f.path().equals(path))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("ViT-B/32 has no " + path));
    return file.fromRepository(
        CLIP_VIT_BASE_PATCH32.repository(), CLIP_VIT_BASE_PATCH32.revision(), "image");
  }

  /**
   * A transformers.js CLIP export (the layout of {@link #CLIP_VIT_BASE_PATCH32}) on the {@code
   * main} branch, fp32, q8 and fp16, with no size or digest pinned.
   */
  private static KnownModel unpinnedTransformersJs(
      String name, List<String> aliases, String description, String repository, ModelFacts facts) {
    return new KnownModel(
        name,
        aliases,
        description,
        repository,
        "main",
        List.of(
            RemoteFile.unpinned("config.json"),
            RemoteFile.unpinned("preprocessor_config.json"),
            RemoteFile.unpinned("tokenizer.json")),
        Map.of(
            ModelVariant.FP32,
            List.of(
                RemoteFile.unpinned("onnx/vision_model.onnx"),
                RemoteFile.unpinned("onnx/text_model.onnx")),
            ModelVariant.Q8,
            List.of(
                RemoteFile.unpinned("onnx/vision_model_quantized.onnx"),
                RemoteFile.unpinned("onnx/text_model_quantized.onnx")),
            ModelVariant.FP16,
            fp16Files()),
        ModelVariant.FP32,
        facts);
  }

  /**
   * The half-precision towers of a transformers.js CLIP export, whose paths public material
   * (projects that download them) establishes; checked against the SHA-256 the hub reports.
   */
  private static List<RemoteFile> fp16Files() {
    return List.of(
        RemoteFile.unpinned("onnx/vision_model_fp16.onnx"),
        RemoteFile.unpinned("onnx/text_model_fp16.onnx"));
  }

  private final List<KnownModel> models;
  private final Map<String, KnownModel> byName = new HashMap<>();

  /**
   * A registry of {@code models}; the first one is the default.
   *
   * @throws IllegalArgumentException if the list is empty or two models share a name or alias
   */
  public ModelRegistry(List<KnownModel> models) {
    if (models.isEmpty()) {
      throw new IllegalArgumentException("a model registry needs at least one model");
    }
    this.models = List.copyOf(models);
    for (KnownModel model : this.models) {
      List<String> keys = new ArrayList<>(model.aliases());
      keys.add(model.name());
      for (String key : keys) {
        KnownModel previous = byName.put(key.toLowerCase(Locale.ROOT), model);
        if (previous != null) {
          throw new IllegalArgumentException(
              "'" + key + "' names both " + previous.name() + " and " + model.name());
        }
      }
    }
  }

  /** The models this build of clipsearch knows. */
  public static ModelRegistry builtIn() {
    return BUILT_IN;
  }

  public List<KnownModel> models() {
    return models;
  }

  /** The model fetched when no name is given. */
  public KnownModel defaultModel() {
    return models.get(0);
  }

  /** Finds a model by name or alias, ignoring case. */
  public Optional<KnownModel> find(String nameOrAlias) {
    return Optional.ofNullable(byName.get(nameOrAlias.strip().toLowerCase(Locale.ROOT)));
  }

  /**
   * Finds what a name refers to: a model name or alias (its default variant) or an install name
   * with a variant suffix ({@code clip-vit-base-patch32-int8}).
   */
  public Optional<ModelRef> lookup(String name) {
    Optional<KnownModel> direct = find(name);
    if (direct.isPresent()) {
      return Optional.of(new ModelRef(direct.get(), direct.get().defaultVariant()));
    }
    String key = name.strip().toLowerCase(Locale.ROOT);
    for (KnownModel model : models) {
      for (ModelVariant variant : model.variants()) {
        if (model.installName(variant).equals(key)) {
          return Optional.of(new ModelRef(model, variant));
        }
      }
    }
    return Optional.empty();
  }

  /** The names accepted by {@link #find}, for error messages. */
  public List<String> names() {
    return models.stream().map(KnownModel::name).toList();
  }
}
