"""Per-layer monitoring during a generation: forward hooks on each transformer block time it
(perf_counter around the block's forward, summed over the decoding steps) and summarise its
output (mean L2 norm of the token states, share of saturated activations). Hooks are added for
one generation and removed after it, so the model is left as it was."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, List, Optional, Sequence

import torch
from torch import nn

from ._errors import ExplainError


@dataclass(frozen=True)
class LayerStats:
    """One transformer layer over one generation."""

    layer: int
    time_ms: float
    activation_norm: float
    saturation: float
    calls: int


def layer_count(model: Any) -> Optional[int]:
    config = getattr(model, "config", None)
    for name in ("num_hidden_layers", "n_layer", "num_layers"):
        value = getattr(config, name, None)
        if isinstance(value, int) and value > 0:
            return value
    return None


def find_blocks(model: nn.Module) -> List[nn.Module]:
    """The model's transformer blocks: the first module list (in module order) as long as the
    configured number of layers (``transformer.h`` in GPT-2, ``model.layers`` in Llama/Qwen…)."""
    count = layer_count(model)
    for _, module in model.named_modules():
        if isinstance(module, nn.ModuleList) and len(module) > 0 and (count is None or len(module) == count):
            return list(module)
    raise ExplainError(
        f"Cannot find the transformer layers of {type(model).__name__}: no module list of "
        f"{count if count is not None else 'its'} layers; pass layer_stats=False"
    )


def _hidden(output: Any) -> Optional[torch.Tensor]:
    if isinstance(output, torch.Tensor):
        return output
    if isinstance(output, (tuple, list)) and output and isinstance(output[0], torch.Tensor):
        return output[0]
    return None


class _Accumulator:
    def __init__(self) -> None:
        self.seconds = 0.0
        self.norm_sum = 0.0
        self.tokens = 0
        self.saturated = 0
        self.elements = 0
        self.calls = 0
        self.started = 0.0


class LayerMonitor:
    """Hooks on the chosen blocks for the length of a ``with`` block; ``stats()`` afterwards."""

    def __init__(self, blocks: Sequence[nn.Module], indexes: Sequence[int], sigma: float) -> None:
        self._blocks = blocks
        self._indexes = list(indexes)
        self._sigma = sigma
        self._acc = {i: _Accumulator() for i in self._indexes}
        self._handles: List[Any] = []

    def __enter__(self) -> "LayerMonitor":
        for i in self._indexes:
            acc = self._acc[i]
            self._handles.append(self._blocks[i].register_forward_pre_hook(self._pre(acc)))
            self._handles.append(self._blocks[i].register_forward_hook(self._post(acc)))
        return self

    def __exit__(self, *exc: object) -> None:
        for handle in self._handles:
            handle.remove()
        self._handles.clear()

    @staticmethod
    def _pre(acc: _Accumulator) -> Any:
        def hook(module: nn.Module, args: Any) -> None:
            acc.started = time.perf_counter()

        return hook

    def _post(self, acc: _Accumulator) -> Any:
        sigma = self._sigma

        def hook(module: nn.Module, args: Any, output: Any) -> None:
            hidden = _hidden(output)
            if hidden is not None and hidden.is_cuda:
                torch.cuda.synchronize(hidden.device)  # the time of the work, not of its launch
            acc.seconds += time.perf_counter() - acc.started
            acc.calls += 1
            if hidden is None:
                return
            with torch.no_grad():
                x = hidden.detach().float()
                norms = x.norm(dim=-1)
                acc.norm_sum += float(norms.sum())
                acc.tokens += norms.numel()
                if x.numel() > 1:
                    acc.saturated += int(((x - x.mean()).abs() > sigma * x.std()).sum())
                acc.elements += x.numel()

        return hook

    def stats(self) -> List[LayerStats]:
        """One entry per monitored layer, in layer order."""
        return [
            LayerStats(
                layer=i,
                time_ms=acc.seconds * 1000.0,
                activation_norm=acc.norm_sum / acc.tokens if acc.tokens else 0.0,
                saturation=acc.saturated / acc.elements if acc.elements else 0.0,
                calls=acc.calls,
            )
            for i, acc in sorted(self._acc.items())
        ]
