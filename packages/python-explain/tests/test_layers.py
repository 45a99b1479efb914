"""Per-layer monitoring: one entry per layer, one call per forward pass, a slow layer's time and a
degenerate layer's norm stand out, hooks removed after the generation."""

from __future__ import annotations

import time

import pytest
import torch

from argus_explain import ExplainError
from argus_explain._layers import LayerMonitor, find_blocks


def test_one_entry_per_layer_and_one_call_per_pass(model) -> None:
    blocks = find_blocks(model)
    assert len(blocks) == 2 and blocks[0] is model.transformer.h[0]
    with LayerMonitor(blocks, [0, 1], sigma=6.0) as monitor:
        with torch.no_grad():
            for _ in range(3):
                model(input_ids=torch.tensor([[2, 3, 4]]))
    stats = monitor.stats()
    assert [s.layer for s in stats] == [0, 1]
    assert all(s.calls == 3 and s.time_ms > 0 and s.activation_norm > 0 for s in stats)
    assert all(0.0 <= s.saturation <= 1.0 for s in stats)
    assert all(not b._forward_hooks and not b._forward_pre_hooks for b in blocks)


def test_a_slow_layer_is_timed_and_a_degenerate_one_has_the_largest_norm(model) -> None:
    blocks = find_blocks(model)
    # Layer 1 sleeps inside its forward (a hook on its MLP) and its MLP output is blown up.
    blocks[1].mlp.register_forward_hook(lambda m, a, out: time.sleep(0.02))
    with torch.no_grad():
        blocks[1].mlp.c_proj.weight.mul_(200.0)
    with LayerMonitor(blocks, [0, 1], sigma=6.0) as monitor:
        with torch.no_grad():
            model(input_ids=torch.tensor([[2, 3, 4, 5]]))
            model(input_ids=torch.tensor([[6, 7]]))
    first, second = monitor.stats()
    assert second.time_ms >= 2 * 20.0  # at least the two sleeps (a lower bound, not a speed test)
    assert second.activation_norm > 10 * first.activation_norm


def test_saturation_counts_values_beyond_sigma() -> None:
    # A layer whose output is one huge value among zeros: 1 of 400 activations is saturated.
    class Spike(torch.nn.Module):
        def forward(self, x):
            out = torch.zeros(1, 4, 100)
            out[0, 0, 0] = 1000.0
            return out

    spike = Spike()
    with LayerMonitor([spike], [0], sigma=6.0) as monitor:
        spike(torch.zeros(1))
    assert monitor.stats()[0].saturation == pytest.approx(1 / 400)


def test_a_model_without_a_layer_list_is_a_clear_error() -> None:
    class Flat(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.linear = torch.nn.Linear(2, 2)

    with pytest.raises(ExplainError, match="Cannot find the transformer layers of Flat"):
        find_blocks(Flat())
