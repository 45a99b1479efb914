"""Not only GPT-2: other causal LM families whose blocks live elsewhere (``model.layers`` in Llama
and Qwen2 with grouped-query attention, ``model.decoder.layers`` in OPT) get the same events."""

from __future__ import annotations

from typing import Any, Callable, Dict

import pytest
import torch
from transformers import LlamaConfig, LlamaForCausalLM, OPTConfig, OPTForCausalLM, Qwen2Config, Qwen2ForCausalLM

from argus_explain import Explainer

SHARED = dict(num_hidden_layers=2, max_position_embeddings=128, attn_implementation="eager", bos_token_id=0,
              eos_token_id=0)
FAMILIES: Dict[str, Callable[[int], Any]] = {
    # 4 query heads sharing 2 key/value heads: attentions still come per query head.
    "llama": lambda v: LlamaForCausalLM(LlamaConfig(vocab_size=v, hidden_size=32, intermediate_size=64,
                                                    num_attention_heads=4, num_key_value_heads=2, **SHARED)),
    "qwen2": lambda v: Qwen2ForCausalLM(Qwen2Config(vocab_size=v, hidden_size=32, intermediate_size=64,
                                                    num_attention_heads=4, num_key_value_heads=2, **SHARED)),
    "opt": lambda v: OPTForCausalLM(OPTConfig(vocab_size=v, hidden_size=32, ffn_dim=64, num_attention_heads=4,
                                              word_embed_proj_dim=32, **SHARED)),
}


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_the_same_events_for_other_families(family: str, tokenizer, spans) -> None:
    torch.manual_seed(0)
    model = FAMILIES[family](len(tokenizer)).eval()
    g = Explainer(model, tokenizer, tracer_provider=spans.provider).generate("the cat sat", max_new_tokens=3)
    assert g.errors == {}
    n = g.input_tokens + g.output_tokens
    names = [name for name, _ in g.events]
    assert names.count("argus.explain.attention") == 1 + 2 + 2 * 4
    assert names.count("argus.explain.layer_stats") == 2 and names.count("argus.explain.attribution") == 1
    for name, attrs in g.events:
        if name == "argus.explain.attention":
            rows = torch.tensor(attrs["argus.explain.weights"]).view(n, n).sum(-1)
            assert torch.allclose(rows, torch.ones(n, dtype=rows.dtype), atol=n * 5e-5)
        if name == "argus.explain.layer_stats":
            assert attrs["argus.explain.calls"] == g.output_tokens and attrs["argus.explain.activation_norm"] > 0
