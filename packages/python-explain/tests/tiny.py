"""A tiny randomly initialised GPT-2 and a character-level tokenizer, built without downloads."""

from __future__ import annotations

from typing import Any, Tuple

import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers
from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast

CHARS = list("abcdefghijklmnopqrstuvwxyz .,?!'")


def tiny_tokenizer() -> Any:
    """One token per character (a word-level model over a split-every-character pre-tokenizer)."""
    vocab = {"<eos>": 0, "<unk>": 1, **{c: i + 2 for i, c in enumerate(CHARS)}}
    tok = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Split(pattern="", behavior="isolated")
    tok.decoder = decoders.Fuse()
    return PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<eos>", unk_token="<unk>", pad_token="<eos>")


def tiny_model(n_layer: int = 2, n_embd: int = 32, n_head: int = 2, seed: int = 0,
               attn: str = "eager") -> Any:
    torch.manual_seed(seed)
    config = GPT2Config(
        vocab_size=len(CHARS) + 2, n_positions=256, n_embd=n_embd, n_layer=n_layer, n_head=n_head,
        bos_token_id=0, eos_token_id=0, attn_implementation=attn,
    )
    return GPT2LMHeadModel(config).eval()


def tiny() -> Tuple[Any, Any]:
    return tiny_model(), tiny_tokenizer()
