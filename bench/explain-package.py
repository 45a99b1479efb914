"""`.venv-explain/bin/python bench/explain-package.py [rounds]`: what argus-explain's recording costs.

For random GPT-2s built from a config (no download) and a character tokenizer, on the CPU with one
torch thread: the wall and process-CPU time of a greedy generation of 16 tokens from a 40-character
prompt, plain (`model.generate`) and through `Explainer.generate` with each part of the recording
on alone and all together (spans go to an in-memory exporter: export excluded). Medians over
`rounds` (default 7), cases interleaved within each round so load changes hit them all. Also the
span's size as the OTLP/HTTP exporter sends it (protobuf, and gzip-compressed). Results go to stdout.
"""

from __future__ import annotations

import gzip
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, List

import torch
from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
from opentelemetry.sdk.trace import SpanLimits, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "packages/python-explain/tests"))

from tiny import tiny_model, tiny_tokenizer  # noqa: E402

import argus_explain  # noqa: E402
from argus_explain import Explainer  # noqa: E402

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 7
PROMPT = "where did the cat sit when it was raining?"  # 42 characters = 42 tokens
NEW_TOKENS = 16
MODELS = {
    "tiny (2 layers, 32 dims, 2 heads)": dict(n_layer=2, n_embd=32, n_head=2),
    "small (6 layers, 256 dims, 8 heads)": dict(n_layer=6, n_embd=256, n_head=8),
    "gpt2-small shape (12 layers, 768 dims, 12 heads)": dict(n_layer=12, n_embd=768, n_head=12),
}
PARTS = {
    "span only (all recording off)": dict(attention=False, attributions=False, layer_stats=False),
    "layer stats (hooks)": dict(attention=False, attributions=False, layer_stats=True),
    "attention (all heads + rollout)": dict(attention=True, attributions=False, layer_stats=False),
    "attention (head means + rollout)": dict(attention=True, heads="mean", attributions=False, layer_stats=False),
    "integrated gradients (16 steps)": dict(attention=False, attributions=True, layer_stats=False),
    "everything (defaults)": dict(),
}


def timed(run: Callable[[], Any]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def bench_model(name: str, shape: Dict[str, int], rounds: int) -> None:
    model, tokenizer = tiny_model(**shape), tiny_tokenizer()
    ids = tokenizer(PROMPT, return_tensors="pt")
    exporter = InMemorySpanExporter()
    # The limits of the explainer's own provider (the server's 512 events), not OpenTelemetry's 128.
    provider = TracerProvider(span_limits=SpanLimits(max_events=512, max_event_attributes=32, max_attribute_length=None))
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    explainers = {part: Explainer(model, tokenizer, tracer_provider=provider, **opts) for part, opts in PARTS.items()}

    def plain() -> None:
        with torch.no_grad():
            model.generate(**ids, max_new_tokens=NEW_TOKENS, do_sample=False, pad_token_id=0)

    cases: Dict[str, Callable[[], Any]] = {"plain model.generate": plain}
    for part, explainer in explainers.items():
        cases[part] = lambda e=explainer: e.generate(PROMPT, max_new_tokens=NEW_TOKENS)
    for run in cases.values():  # warm-up
        run()
    walls: Dict[str, List[float]] = {c: [] for c in cases}
    cpus: Dict[str, List[float]] = {c: [] for c in cases}
    latency: Dict[str, List[float]] = {c: [] for c in cases}
    sizes: Dict[str, tuple[int, int, int]] = {}
    for _ in range(rounds):
        for case, run in cases.items():
            exporter.clear()
            wall, cpu = timed(run)
            walls[case].append(wall)
            cpus[case].append(cpu)
            spans = exporter.get_finished_spans()
            if spans:
                body = encode_spans(spans).SerializeToString()
                sizes[case] = (len(body), len(gzip.compress(body)), len(spans[0].events))
                latency[case].append((spans[0].end_time - spans[0].start_time) / 1e6)
    params = sum(p.numel() for p in model.parameters())
    print(f"\n### {name}: {params / 1e6:.2f} M parameters, {len(PROMPT)} + {NEW_TOKENS} tokens\n")
    print("| case | wall ms | CPU ms | ×plain (wall) | span duration ms | events | span bytes (protobuf / gzip) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    base = statistics.median(walls["plain model.generate"])
    for case in cases:
        w, c = statistics.median(walls[case]), statistics.median(cpus[case])
        lat = f"{statistics.median(latency[case]):.1f}" if latency[case] else "—"
        size = sizes.get(case)
        size_text = f"{size[0]:,} / {size[1]:,}" if size else "—"
        events = str(size[2]) if size else "—"
        print(f"| {case} | {w:.1f} | {c:.1f} | {w / base:.2f} | {lat} | {events} | {size_text} |")


def main() -> None:
    torch.set_num_threads(1)
    load = os.getloadavg()
    print(f"argus-explain {argus_explain.__version__}, torch {torch.__version__}, Python {platform.python_version()}, "
          f"{platform.machine()}, {os.cpu_count()} CPUs, torch threads 1, load average {load[0]:.2f} {load[1]:.2f}, "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {ROUNDS} rounds (medians)")
    for name, shape in MODELS.items():
        bench_model(name, shape, ROUNDS if shape["n_layer"] < 12 else max(1, ROUNDS // 3))
    print(f"\nload average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
