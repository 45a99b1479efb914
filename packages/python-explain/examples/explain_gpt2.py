"""Generate with a local GPT-2 and record attention, integrated-gradients attributions and the
per-layer profile in Argus.

    pip install ./packages/python-explain        # from a clone of the Argus repository
    argus start &                                # or any Argus server; ARGUS_ENDPOINT points at it
    python packages/python-explain/examples/explain_gpt2.py            # downloads gpt2 (~500 MB)
    python packages/python-explain/examples/explain_gpt2.py --tiny     # a random tiny GPT-2, no download

Open the printed trace in the console and pick the Explain tab.
"""

from __future__ import annotations

import argparse
import logging
import os

from argus_explain import Explainer


def load(tiny: bool):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    if not tiny:
        tokenizer = AutoTokenizer.from_pretrained("gpt2")
        # Eager attention returns the weights; SDPA and flash attention do not.
        model = AutoModelForCausalLM.from_pretrained("gpt2", attn_implementation="eager")
        return model, tokenizer, "gpt2"
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers
    from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast

    chars = list("abcdefghijklmnopqrstuvwxyz .,?!'")
    vocab = {"<eos>": 0, "<unk>": 1, **{c: i + 2 for i, c in enumerate(chars)}}
    tok = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Split(pattern="", behavior="isolated")
    tok.decoder = decoders.Fuse()
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<eos>", unk_token="<unk>")
    config = GPT2Config(vocab_size=len(vocab), n_positions=256, n_embd=64, n_layer=4, n_head=4,
                        bos_token_id=0, eos_token_id=0, attn_implementation="eager")
    return GPT2LMHeadModel(config).eval(), tokenizer, "tiny-random-gpt2"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tiny", action="store_true", help="a random 4-layer GPT-2 (no download)")
    parser.add_argument("--prompt", default="The capital of France is")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    model, tokenizer, name = load(args.tiny)

    explainer = Explainer(model, tokenizer, model_name=name, service_name="explain-example",
                          endpoint=os.environ.get("ARGUS_ENDPOINT", "http://127.0.0.1:4318"))
    generation = explainer.generate(args.prompt, max_new_tokens=12)
    print(f"{args.prompt!r} → {generation.text!r}")
    print(f"generation {generation.latency_ms:.0f} ms, recording {generation.recording_ms:.0f} ms, "
          f"{len(generation.events)} events")
    sent = explainer.flush()
    print(f"trace {generation.trace_id} {'sent' if sent else 'NOT sent (see the log)'}: "
          f"{explainer.config.endpoint}/traces/{generation.trace_id}?span={generation.span_id}&tab=explain")
    explainer.shutdown()


if __name__ == "__main__":
    main()
