#!/usr/bin/python3
"""Reference ids for clipsearch's CLIP tokenizer on texts beyond shared/fixtures.

A re-implementation, step by step, of OpenAI CLIP's simple_tokenizer (the tokenizer every CLIP
checkpoint was trained with), in Python with the `regex` module and `html`:

    normalize -> html.unescape twice -> strip -> collapse \\s+ (regex module) to ' ' -> strip
    -> lower -> findall(CLIP pattern, IGNORECASE) -> UTF-8 bytes -> byte symbols -> BPE with </w>

Normalization: NFC (unicodedata), as shared/fixtures/clip-reference/README.md specifies. The
original calls ftfy.fix_text there, which also NFC-normalizes but repairs more (mojibake, curly
quotes, ligatures, ...). When ftfy is importable, every case records whether ftfy's result would
differ (`ftfy_differs`), so those texts are known; the ids are always the NFC ones.

Before writing anything the script checks itself against every case of the shared fixtures, and,
when the Hugging Face `tokenizers` library is importable, compares its ids with the library's on
the tokenizer.json written by clip_tokenizer_json.py (the library has no HTML unescape and no
strip, so texts with '&' are left out of that comparison).

Needs the `regex` module (Debian: python3-regex; or a virtual environment). Usage, from the
repository root:

    PY=/usr/bin/python3   # any Python 3 with `regex` (and optionally ftfy, tokenizers)
    $PY models/reference/clip_tokenize_reference.py \\
        ../shared/models/clip-vocab/bpe_simple_vocab_16e6.txt.gz \\
        ../shared/fixtures/clip-reference/tokenizer.json \\
        models/src/test/resources/dev/clipsearch/models/text/clip-bpe-reference.json
"""

import html
import json
import os
import platform
import sys
import tempfile
import unicodedata

import regex

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clip_tokenizer_json  # noqa: E402  (beside this file)

CONTEXT_LENGTH = 77


# Inputs for html.unescape alone (one pass), to pin the Java port's rules one by one.
HTML_UNESCAPE_INPUTS = [
    "no references at all",
    "&amp; &lt; &gt; &quot; &apos; &nbsp;",
    "&amp &lt &gt &quot &copy &reg &eacute &AElig",
    "&apos &nbspx &notin; &notit; &not; &noti",
    "&ampamp; &lt;tag&gt; &LT; &Lt; &lT;",
    "&#65; &#065; &#x41; &#X41; &#0000065; &#65 &#x41",
    "&#0; &#13; &#127; &#128; &#129; &#141; &#150; &#159; &#160;",
    "&#1; &#8; &#9; &#10; &#11; &#12; &#14; &#31; &#32;",
    "&#xD800; &#xDFFF; &#x10FFFF; &#x110000; &#xFFFE; &#x1FFFF; &#xFDD0; &#xFDEF; &#xFDF0;",
    "&#99999999999999999999; &#x0000000000041;",
    "&; &#; &#x; &#xG; & amp; &\tamp;",
    "&aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa; &CounterClockwiseContourIntegral;",
    "&NotNestedGreaterGreater; &bne; &fjlig; &ThickSpace;",
    "&&amp;&&amp;; &amp;amp;",
    "&é; &amp€ &ampé",
    "&#x1F45F;&#128095;",
]


class ClipReferenceTokenizer:
    """simple_tokenizer's encode, with a choice of normalization."""

    def __init__(self, vocab_gz_path, normalize):
        self.normalize = normalize
        merges = clip_tokenizer_json.read_merges(vocab_gz_path)
        tokens = clip_tokenizer_json.clip_vocabulary(merges)
        self.encoder = {token: i for i, token in enumerate(tokens)}
        self.ranks = {merge: rank for rank, merge in enumerate(merges)}
        self.byte_encoder = dict(clip_tokenizer_json.bytes_to_unicode())
        self.sot = self.encoder[clip_tokenizer_json.START_OF_TEXT]
        self.eot = self.encoder[clip_tokenizer_json.END_OF_TEXT]
        self.cache = {clip_tokenizer_json.START_OF_TEXT: clip_tokenizer_json.START_OF_TEXT,
                      clip_tokenizer_json.END_OF_TEXT: clip_tokenizer_json.END_OF_TEXT}
        self.pattern = regex.compile(clip_tokenizer_json.CLIP_PATTERN, regex.IGNORECASE)

    def clean(self, text):
        text = self.normalize(text)
        text = html.unescape(html.unescape(text)).strip()
        return regex.sub(r"\s+", " ", text).strip().lower()

    def bpe(self, token):
        if token in self.cache:
            return self.cache[token]
        word = list(token[:-1]) + [token[-1] + "</w>"]
        while len(word) > 1:
            pairs = {(word[i], word[i + 1]) for i in range(len(word) - 1)}
            best = min(pairs, key=lambda p: self.ranks.get(p, float("inf")))
            if best not in self.ranks:
                break
            merged, i = [], 0
            while i < len(word):
                if i < len(word) - 1 and (word[i], word[i + 1]) == best:
                    merged.append(word[i] + word[i + 1])
                    i += 2
                else:
                    merged.append(word[i])
                    i += 1
            word = merged
        result = " ".join(word)
        self.cache[token] = result
        return result

    def words(self, text):
        return self.pattern.findall(self.clean(text))

    def encode(self, text):
        """Start token, the text's ids, end token; no truncation."""
        ids = [self.sot]
        for piece in self.words(text):
            symbols = "".join(self.byte_encoder[b] for b in piece.encode("utf-8"))
            ids.extend(self.encoder[t] for t in self.bpe(symbols).split(" "))
        return ids + [self.eot]

    def truncate(self, ids, context_length):
        return ids if len(ids) <= context_length else ids[:context_length - 1] + [self.eot]


def nfc(text):
    return unicodedata.normalize("NFC", text)


def extra_cases(reference):
    """(name, text) pairs: product queries, HTML, scripts, emoji, whitespace, lengths."""
    cases = [
        # product-like queries
        ("product_dash_and_parens", "Nike Air Max 270 React – Men's Running Shoe (Black/White)"),
        ("product_registered_sign", "Levi's 501® Original Fit Jeans, 32x34"),
        ("product_curly_apostrophe", "Levi’s women’s denim jacket"),
        ("product_inch_quote", 'Samsung 65" QLED 4K Smart TV'),
        ("product_units", "2-pack stainless steel water bottle, 750ml / 25oz"),
        ("product_decimal_prices", "3.5mm jack; was $1,299.00 now €999,95"),
        ("product_sku", "SKU#A12-B34/XL"),
        ("product_non_breaking_hyphen", "USB\u2011C charger 65W"),
        ("product_ampersand_plain", "AT&T prepaid SIM & charger"),
        # HTML character references (Python's html.unescape, applied twice)
        ("html_named_and_decimal", "Ben &amp; Jerry&#39;s ice cream"),
        ("html_script_tags", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("html_times_sign", "5 &times; 10 cm"),
        ("html_accented_names", "caf&eacute; au lait, cr&egrave;me br&ucirc;l&eacute;e"),
        ("html_legacy_without_semicolon", "&copy 2024 &amp co &lt3"),
        ("html_longest_prefix", "&notit; &ampxyz"),
        ("html_double_escaped", "Tom &amp;amp; Jerry &amp;lt;3"),
        ("html_triple_escaped", "&amp;amp;amp;"),
        ("html_hex_astral", "&#x1F45F; sneaker &#X1f457;"),
        ("html_windows_1252_range", "&#128; &#150; &#153;"),
        ("html_invalid_numbers", "a&#0;b&#xD800;c&#99999999999;d&#1;e&#xFFFF;f"),
        ("html_unknown_name", "&unknownentity; &;"),
        ("html_no_digits", "&#; &#x; &#xG;"),
        ("html_two_code_point_entity", "&NotNestedGreaterGreater; &nbsp;sale&nbsp;"),
        ("html_numeric_without_semicolon", "&#65BC &#x41;BC"),
        # scripts other than Latin
        ("japanese", "ワイヤレスイヤホン ノイズキャンセリング"),
        ("korean", "무선 이어폰 블루투스"),
        ("arabic", "حذاء رياضي للرجال"),
        ("hindi", "लाल जूते"),
        ("thai", "รองเท้าผ้าใบ"),
        ("hebrew", "נעלי ריצה"),
        ("greek_final_sigma", "ΟΔΟΣ ΑΘΗΝΑΣ"),
        ("greek_sigma_before_punctuation", "ΑΣ.Β ΑΣ:Β ΑΣ-Β ΑΣ_Β"),
        ("turkish_dotted_capital_i", "İstanbul ISPARTA ılık"),
        ("german_sharp_s", "STRASSE Straße GROẞE"),
        ("vietnamese_decomposed_input", "Tie\u0302\u0301ng Vie\u0323\u0302t"),
        ("latin_ligatures", "ﬁne ﬂour"),
        ("fullwidth_forms", "ＡＢＣ１２３ ｓｈｏｅｓ"),
        ("combining_ypogegrammeni", "a\u0345b x \u0345 y"),
        ("long_s_contraction", "it'ſ ſtate"),
        ("numbers_other_scripts", "½ ¾ ²³ ١٢٣ Ⅻ ৩"),
        # emoji
        ("emoji_family_zwj", "👩‍👩‍👧‍👦 family pack"),
        ("emoji_flag", "🇫🇷 french flag"),
        ("emoji_variation_selector", "❤️ heart shaped"),
        ("emoji_skin_tone", "👍🏽 thumbs up"),
        ("emoji_run", "😀😃😄 smiley"),
        # whitespace oddities
        ("whitespace_no_break", "\u00a0nbsp\u00a0inside\u00a0"),
        ("whitespace_ideographic", "ideographic\u3000space"),
        ("whitespace_zero_width_is_not_space", "zero\u200bwidth"),
        ("whitespace_file_separators", "\x1cfile\x1d sep\x1f"),
        ("whitespace_line_separators", "line\u2028sep\u2029para\r\nnext\x85end"),
        ("whitespace_only", " \t\n\u3000 "),
        ("soft_hyphen_and_marks", "soft\u00adhyphen \u200eLRM"),
        # contractions and special tokens
        ("contractions_uppercase", "WON'T Y'ALL'D'VE O'NEILL'S"),
        ("special_tokens_in_text", "<|startoftext|>hello<|endoftext|> world"),
        ("special_token_uppercase", "<|ENDOFTEXT|>"),
        ("special_token_long_s", "<|ſtartoftext|>"),
        # lengths
        ("long_word_2000_letters", "supercalifragilistic" * 100),
        ("long_mixed_text",
         " ".join(["red leather handbag with gold-tone hardware, 30x20cm (model #%d)" % i
                   for i in range(12)])),
    ]
    cases += boundary_cases(reference)
    return cases


def boundary_cases(reference):
    """Texts of exactly 76, 77 and 78 ids, and one whose cut falls inside a multi-token word."""
    cases = []
    for total in (76, 77, 78):
        words = total - 2
        text = " ".join(["red"] * words)
        assert len(reference.encode(text)) == total
        cases.append(("boundary_%d_ids" % total, text))
    # A word of three tokens placed so that truncation to 77 keeps only its first token.
    word = "supercalifragilistic"
    word_ids = reference.encode(word)[1:-1]
    assert len(word_ids) >= 3, word_ids
    filler = CONTEXT_LENGTH - 2 - 1
    text = " ".join(["red"] * filler + [word])
    assert len(reference.encode(text)) == CONTEXT_LENGTH + len(word_ids) - 1
    cases.append(("boundary_cut_inside_word", text))
    return cases


def check_fixtures(reference, fixtures_path):
    with open(fixtures_path, encoding="utf-8") as f:
        fixtures = json.load(f)
    for case in fixtures["cases"]:
        ids = reference.encode(case["text"])
        if ids != case["ids"]:
            sys.exit("reference disagrees with the shared fixture %r: %s" % (case["text"], ids))
        truncated = reference.truncate(ids, fixtures["context_length"])
        if truncated != case["ids_context77_truncated"]:
            sys.exit("truncation disagrees with the shared fixture %r" % case["text"])
    print("self-check: all %d shared fixture cases match" % len(fixtures["cases"]))


def compare_with_tokenizers_library(vocab_gz_path, reference, cases):
    try:
        import tokenizers
    except ImportError:
        print("tokenizers library not importable: skipping that comparison")
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "tokenizer.json")
        clip_tokenizer_json.write_clip_tokenizer_json(vocab_gz_path, path)
        library = tokenizers.Tokenizer.from_file(path)
        compared, differing = 0, []
        for name, text in cases:
            if "&" in text:
                continue
            compared += 1
            if library.encode(text).ids != reference.encode(text):
                differing.append(name)
    print("tokenizers %s on clip_tokenizer_json's file: same ids on %d of %d texts without '&'%s"
          % (tokenizers.__version__, compared - len(differing), compared,
             "; differs on " + ", ".join(differing) if differing else ""))


def main(vocab_gz_path, fixtures_path, out_path):
    reference = ClipReferenceTokenizer(vocab_gz_path, nfc)
    check_fixtures(reference, fixtures_path)
    cases = extra_cases(reference)
    try:
        import ftfy
        with_ftfy = ClipReferenceTokenizer(vocab_gz_path, ftfy.fix_text)
        ftfy_version = ftfy.__version__
    except ImportError:
        with_ftfy, ftfy_version = None, None
    compare_with_tokenizers_library(vocab_gz_path, reference, cases)

    out_cases = []
    for name, text in cases:
        ids = reference.encode(text)
        case = {"name": name, "text": text, "cleaned": reference.clean(text),
                "words": reference.words(text), "ids": ids,
                "ids_context77_truncated": reference.truncate(ids, CONTEXT_LENGTH)}
        if with_ftfy is not None:
            case["ftfy_differs"] = with_ftfy.encode(text) != ids
        out_cases.append(case)
    document = {
        "generator": "models/reference/clip_tokenize_reference.py",
        "normalization": "NFC",
        "python": platform.python_version(),
        "unicode": unicodedata.unidata_version,
        "regex": regex.__version__,
        "ftfy": ftfy_version,
        "vocab": os.path.basename(vocab_gz_path),
        "sot": reference.sot,
        "eot": reference.eot,
        "context_length": CONTEXT_LENGTH,
        "cases": out_cases,
        "html_unescape": [{"input": s, "output": html.unescape(s)} for s in HTML_UNESCAPE_INPUTS],
    }
    with open(out_path, "w", encoding="utf-8", newline="\n") as out:
        json.dump(document, out, ensure_ascii=False, indent=1)
        out.write("\n")
    differing = [c["name"] for c in out_cases if c.get("ftfy_differs")]
    print("wrote %d cases to %s" % (len(out_cases), out_path))
    if with_ftfy is not None:
        print("ftfy %s would change the ids of: %s" % (ftfy_version, ", ".join(differing) or "none"))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: clip_tokenize_reference.py BPE_VOCAB_TXT_GZ FIXTURES_TOKENIZER_JSON OUT_JSON")
    main(*sys.argv[1:])
