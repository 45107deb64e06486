#!/usr/bin/python3
"""Writes a Hugging Face tokenizer.json for CLIP from OpenAI's merges file.

The result has the layout of the tokenizer.json that Hugging Face publishes with the OpenAI CLIP
checkpoints (model.type BPE with the </w> end-of-word suffix, byte-level pre-tokenizer,
<|startoftext|> and <|endoftext|> as added tokens wrapped around every sequence), with the
vocabulary built exactly as OpenAI's simple_tokenizer builds it:

    256 byte symbols, their </w> forms, the first 48,894 merges, <|startoftext|>, <|endoftext|>

so the ids are CLIP's (49,408 tokens, start 49406, end 49407). The `tokenizers` library can load
the file; clipsearch's ClipBpeTokenizer.fromTokenizerJson reads the vocabulary and merges from it.

Standard library only. Usage as a script (from the repository root):

    /usr/bin/python3 models/reference/clip_tokenizer_json.py \
        ../shared/models/clip-vocab/bpe_simple_vocab_16e6.txt.gz OUT/tokenizer.json

or from another script: write_clip_tokenizer_json(vocab_gz_path, out_path).
"""

import gzip
import json
import sys

# CLIP's vocabulary size minus the byte symbols and the two special tokens.
MERGES_USED = 49152 - 256 - 2
START_OF_TEXT = "<|startoftext|>"
END_OF_TEXT = "<|endoftext|>"
# The pre-tokenizer pattern of OpenAI's simple_tokenizer.
CLIP_PATTERN = (r"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d"
                r"|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+")


def bytes_to_unicode():
    """GPT-2's byte-to-character table, as an ordered list of (byte, character)."""
    printable = (list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1))
                 + list(range(ord("®"), ord("ÿ") + 1)))
    table = [(b, chr(b)) for b in printable]
    extra = 0
    for b in range(256):
        if b not in printable:
            table.append((b, chr(256 + extra)))
            extra += 1
    return table


def read_merges(vocab_gz_path):
    """The merges CLIP uses: lines 2.. of the file, at most MERGES_USED, up to a blank line."""
    with gzip.open(vocab_gz_path, "rt", encoding="utf-8") as f:
        lines = f.read().split("\n")[1:]
    merges = []
    for line in lines[:MERGES_USED]:
        if not line.strip():
            break
        pair = line.split()
        if len(pair) != 2:
            raise ValueError("%s: not a merge: %r" % (vocab_gz_path, line))
        merges.append(tuple(pair))
    return merges


def clip_vocabulary(merges):
    """Token strings in id order, as simple_tokenizer builds them."""
    symbols = [ch for _, ch in bytes_to_unicode()]
    return symbols + [s + "</w>" for s in symbols] + ["".join(m) for m in merges] + [
        START_OF_TEXT, END_OF_TEXT]


def clip_tokenizer_json(vocab_gz_path):
    """The tokenizer.json content, as a dict."""
    merges = read_merges(vocab_gz_path)
    tokens = clip_vocabulary(merges)
    vocab = {token: i for i, token in enumerate(tokens)}
    start, end = vocab[START_OF_TEXT], vocab[END_OF_TEXT]

    def added(token_id, content):
        return {"id": token_id, "content": content, "single_word": False, "lstrip": False,
                "rstrip": False, "normalized": True, "special": True}

    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [added(start, START_OF_TEXT), added(end, END_OF_TEXT)],
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "NFC"},
            {"type": "Replace", "pattern": {"Regex": r"\s+"}, "content": " "},
            {"type": "Lowercase"},
        ]},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": CLIP_PATTERN}, "behavior": "Removed",
             "invert": True},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True,
             "use_regex": False},
        ]},
        "post_processor": {"type": "RobertaProcessing", "sep": [END_OF_TEXT, end],
                           "cls": [START_OF_TEXT, start], "trim_offsets": False,
                           "add_prefix_space": False},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True,
                    "use_regex": True},
        "model": {
            "type": "BPE",
            "dropout": None,
            "unk_token": END_OF_TEXT,
            "continuing_subword_prefix": "",
            "end_of_word_suffix": "</w>",
            "fuse_unk": False,
            "byte_fallback": False,
            "vocab": vocab,
            "merges": ["%s %s" % m for m in merges],
        },
    }


def write_clip_tokenizer_json(vocab_gz_path, out_path):
    """Writes CLIP's tokenizer.json for the merges file at vocab_gz_path to out_path (UTF-8)."""
    content = clip_tokenizer_json(vocab_gz_path)
    with open(out_path, "w", encoding="utf-8", newline="\n") as out:
        json.dump(content, out, ensure_ascii=False, separators=(",", ":"))
        out.write("\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: clip_tokenizer_json.py BPE_SIMPLE_VOCAB_TXT_GZ OUT_TOKENIZER_JSON")
    write_clip_tokenizer_json(sys.argv[1], sys.argv[2])
    print("wrote", sys.argv[2])
