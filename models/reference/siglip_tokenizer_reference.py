#!/usr/bin/python3
"""A small SigLIP-shaped SentencePiece Unigram tokenizer and reference ids, for UnigramTokenizer's tests.

SigLIP's text tower (google/siglip-base-patch16-224) uses a 32,000-piece SentencePiece Unigram
model (spiece.model). Its reference tokenizer, transformers' SiglipTokenizer, does:

    lower-case; remove every character of Python's string.punctuation; collapse whitespace runs
    to one space; strip; SentencePiece encode (its nmt_nfkc normalization, dummy prefix, Viterbi
    over the piece scores); append </s>; truncate to 64 ids keeping </s>; pad to 64 with </s>

and the tokenizer.json of the transformers.js / optimum export holds the same steps for the
`tokenizers` library: normalizers (Lowercase, Replace of the punctuation, Precompiled = the
model's own normalization table, Replace of runs of spaces, Strip), a Metaspace pre-tokenizer
(prefix "\u2581"), the Unigram model (pieces with scores, unk id) and a TemplateProcessing
post-processor appending </s>.

This script trains a small Unigram model (ids as SigLIP's: <pad> 0, </s> 1, <unk> 2) on the
text below with Debian's python3-sentencepiece, writes it as a tokenizer.json in that shape
(the .model file itself is not kept: the tokenizer.json holds its pieces, scores and table), and records for many hard texts the ids the reference pipeline
above gives, computed with SentencePiece itself. The Java test compares its ids exactly; neither
the test nor CI needs sentencepiece (everything written here is committed).

Usage (from the repository root; needs /usr/bin/python3 with python3-sentencepiece):
    models/reference/siglip_tokenizer_reference.py \\
        models/src/test/resources/dev/clipsearch/models/text/siglip
"""

import base64
import json
import os
import re
import string
import sys
import tempfile

import sentencepiece as spm
from sentencepiece import sentencepiece_model_pb2

MAX_LENGTH = 64  # SigLIP's text context
VOCAB_SIZE = 280
PAD, EOS, UNK = 0, 1, 2

CORPUS = """
A photo of a red running shoe. A photo of two cats on a sofa. Black leather boots for women.
Blue denim jacket with silver buttons; a green summer dress; white cotton shirt, slim fit.
Wireless headphones with noise cancelling, 30 hours of battery, USB-C charging.
Stainless steel water bottle, 750 ml, keeps drinks cold for 24 hours.
Handmade ceramic coffee mug, 350 ml, dishwasher safe. Wooden chair with a woven seat.
A vintage camera on a wooden table. A bunch of yellow flowers in a glass vase.
The quick brown fox jumps over the lazy dog. There are two cats. This is a photo of a dog.
Running shoes, trail shoes, hiking boots, sandals, sneakers, slippers, loafers and heels.
Café au lait, crème brûlée, naïve résumé, Ångström, façade, jalapeño, Zürich, Straße, Øre.
Les chaussures rouges sont en cuir. Der schwarze Rucksack ist wasserdicht. El vestido azul.
北京烤鸭 寿司 東京 ワイヤレスイヤホン 赤い靴 黒い鞄 白いシャツ 青いドレス 무선 이어폰 가방
кожаная сумка красные туфли. Δ δ λ ω Ω. حذاء رياضي. नमस्ते दुनिया.
Numbers: 1 2 3 10 20 100 256GB 3.5mm 50% off $19.99 €25 £30 ¥1000 No. 7 4K HDR 1080p.
Colours: red orange yellow green blue indigo violet black white grey gray brown pink purple.
Materials: leather cotton wool silk linen denim suede canvas nylon polyester steel wood glass.
""".strip()

# (name, text): the hard cases. Every text is recorded twice: whole, and cut to 8 ids.
TEXTS = [
    ("plain_query", "red running shoes"),
    ("sentence_case_and_period", "This is a photo of a cat."),
    ("clip_prompt", "a photo of a black leather boot"),
    ("empty", ""),
    ("only_spaces", "   "),
    ("only_punctuation", "!!! ... ???"),
    ("leading_trailing_spaces", "   blue jacket   "),
    ("inner_space_runs", "blue     denim\t\tjacket"),
    ("newlines_and_tabs", "line one\nline two\r\n\tline three"),
    ("punctuation_removed", "Hello, world!!! (test) [draft] {x}; a/b\\c @home #1 ~tilde~ `q`"),
    ("apostrophes_and_hyphens", "don't it's USB-C state-of-the-art"),
    ("unicode_punctuation_kept", "dash \u2014 ellipsis\u2026 \u201cquotes\u201d \u00bfqu\u00e9? \u00a1s\u00ed!"),
    ("numbers_and_units", "iPhone 15 Pro Max 256GB, 3.5mm, $1,299.00, 50% off"),
    ("accents_precomposed", "Cr\u00e8me Br\u00fbl\u00e9e, na\u00efve caf\u00e9, r\u00e9sum\u00e9, \u00c5ngstr\u00f6m"),
    ("accents_decomposed", "Cre\u0300me bru\u0302le\u0301e cafe\u0301"),
    ("german_sharp_s_and_caps", "STRASSE Stra\u00dfe GR\u00dcN \u00d8RE Z\u00dcRICH"),
    ("full_width_latin_and_digits", "\uff32\uff25\uff24 \uff53\uff48\uff4f\uff45\uff53 \uff11\uff12\uff13"),
    ("full_width_punctuation", "\uff01\uff1f\uff08\uff09\uff0c"),
    ("ligatures_and_compat", "\ufb01ne \ufb02ower \u2460 \u00bd \u2122 \u3231"),
    ("chinese", "\u5317\u4eac\u70e4\u9e2d and \u5bff\u53f8"),
    ("japanese", "\u30ef\u30a4\u30e4\u30ec\u30b9\u30a4\u30e4\u30db\u30f3 \u6771\u4eac \u8d64\u3044\u9774"),
    ("half_width_katakana", "\uff8a\uff9d\uff76\uff78 \uff76\uff80\uff76\uff85"),
    ("korean", "\ubb34\uc120 \uc774\uc5b4\ud3f0"),
    ("cyrillic_caps", "\u041a\u041e\u0416\u0410\u041d\u0410\u042f \u0441\u0443\u043c\u043a\u0430"),
    ("greek_final_sigma", "\u039f\u0394\u039f\u03a3 \u03bb\u03cc\u03b3\u03bf\u03c2"),
    ("arabic", "\u062d\u0630\u0627\u0621 \u0631\u064a\u0627\u0636\u064a"),
    ("devanagari", "\u0928\u092e\u0938\u094d\u0924\u0947 \u0926\u0941\u0928\u093f\u092f\u093e"),
    ("emoji_unknown", "\U0001F45F shoes \U0001F525\U0001F525 hot"),
    ("emoji_zwj_and_flags", "\U0001F469\u200d\U0001F4BB \U0001F1EF\U0001F1F5 \u2764\ufe0f"),
    ("unseen_script", "\u10d0\u10d1\u10d2 \u0e2a\u0e27\u0e31\u0e2a\u0e14\u0e35"),
    ("control_and_zero_width", "red\u200bshoes\u00adsoft\u0007bell\ufeffbom"),
    ("no_break_and_odd_spaces", "red\u00a0shoes\u2003wide\u3000ideographic"),
    ("metaspace_char_in_text", "a\u2581b \u2581\u2581c"),
    ("long_repeated", " ".join(["leather boots"] * 60)),
    ("long_one_word", "supercalifragilisticexpialidocious" * 8),
    ("mixed_everything", "The Caf\u00e9 \u6771\u4eac sells \uff32\uff25\uff24 shoes \U0001F45F for $19.99!!!"),
]
CUT = 8
RANDOM_CASES = 60  # seeded word salads from the corpus and numbers: exact score ties are common


def random_texts():
    import random
    rng = random.Random(20240501)
    words = CORPUS.split()
    out = []
    for i in range(RANDOM_CASES):
        parts = [rng.choice(words) for _ in range(rng.randint(1, 12))]
        if i % 3 == 0:
            parts.insert(rng.randint(0, len(parts)), str(rng.randint(0, 99999)))
        if i % 5 == 0:
            parts = [p.upper() if rng.random() < 0.5 else p for p in parts]
        out.append(("random_%02d" % i, " ".join(parts)))
    return out


def reference_ids(sp, text, max_length):
    """transformers' SiglipTokenizer (slow) with padding off: canonicalize, encode, append </s>."""
    text = text.lower()
    text = text.translate(str.maketrans("", "", string.punctuation))
    text = re.sub(r"\s+", " ", text).strip()
    ids = sp.encode(text) if text else []
    return ids[: max_length - 1] + [EOS]


def tokenizer_json(proto, sp):
    """The tokenizer.json of the transformers.js / optimum SigLIP export, for this model."""
    charsmap = proto.normalizer_spec.precompiled_charsmap
    vocab = [[sp.id_to_piece(i), float(sp.get_score(i))] for i in range(sp.get_piece_size())]
    specials = [(PAD, "<pad>"), (EOS, "</s>"), (UNK, "<unk>")]
    return {
        "version": "1.0",
        "truncation": {"direction": "Right", "max_length": MAX_LENGTH,
                       "strategy": "LongestFirst", "stride": 0},
        "padding": {"strategy": {"Fixed": MAX_LENGTH}, "direction": "Right",
                    "pad_to_multiple_of": None, "pad_id": EOS, "pad_type_id": 0,
                    "pad_token": "</s>"},
        "added_tokens": [{"id": i, "content": c, "single_word": False, "lstrip": False,
                          "rstrip": False, "normalized": False, "special": True}
                         for i, c in specials],
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "Lowercase"},
            {"type": "Replace", "pattern": {"Regex": "[" + re.escape(string.punctuation) + "]"},
             "content": ""},
            {"type": "Precompiled",
             "precompiled_charsmap": base64.b64encode(charsmap).decode("ascii")},
            {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "},
            {"type": "Strip", "strip_left": True, "strip_right": True},
        ]},
        "pre_tokenizer": {"type": "Metaspace", "replacement": "\u2581",
                          "prepend_scheme": "always", "split": True},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "</s>", "type_id": 0}}],
            "pair": [{"Sequence": {"id": "A", "type_id": 0}},
                     {"Sequence": {"id": "B", "type_id": 0}},
                     {"SpecialToken": {"id": "</s>", "type_id": 0}}],
            "special_tokens": {"</s>": {"id": "</s>", "ids": [EOS], "tokens": ["</s>"]}},
        },
        "decoder": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always",
                    "split": True},
        "model": {"type": "Unigram", "unk_id": UNK, "vocab": vocab, "byte_fallback": False},
    }


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = os.path.join(tmp, "corpus.txt")
        with open(corpus, "w", encoding="utf-8") as f:
            # lower-cased and without punctuation, as the model sees text
            for line in CORPUS.splitlines():
                line = line.lower().translate(str.maketrans("", "", string.punctuation))
                f.write(re.sub(r"\s+", " ", line).strip() + "\n")
        prefix = os.path.join(tmp, "spiece")
        spm.SentencePieceTrainer.train(
            input=corpus, model_prefix=prefix, model_type="unigram", vocab_size=VOCAB_SIZE,
            pad_id=PAD, eos_id=EOS, unk_id=UNK, bos_id=-1, character_coverage=1.0,
            normalization_rule_name="nmt_nfkc", num_threads=1, seed_sentencepiece_size=100000,
            minloglevel=2)
        with open(prefix + ".model", "rb") as f:
            model_bytes = f.read()
    sp = spm.SentencePieceProcessor(model_proto=model_bytes)
    proto = sentencepiece_model_pb2.ModelProto()
    proto.ParseFromString(model_bytes)
    with open(os.path.join(out_dir, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer_json(proto, sp), f, ensure_ascii=False)
        f.write("\n")
    cases = []
    for name, text in TEXTS + random_texts():
        cases.append({"name": name, "text": text,
                      "ids": reference_ids(sp, text, MAX_LENGTH),
                      "ids_cut_to_%d" % CUT: reference_ids(sp, text, CUT)})
    with open(os.path.join(out_dir, "reference-ids.json"), "w", encoding="utf-8") as f:
        json.dump({"note": "transformers' SiglipTokenizer steps with SentencePiece "
                           + spm.__version__ + " (models/reference/siglip_tokenizer_reference.py)",
                   "max_length": MAX_LENGTH, "cut": CUT, "eos_id": EOS, "pad_id": EOS,
                   "cases": cases}, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"wrote {out_dir}: {sp.get_piece_size()} pieces, {len(cases)} cases", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
