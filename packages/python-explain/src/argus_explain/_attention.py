"""Attention maps as the convention wants them: mean over heads, attention rollout, the last-k
token window with rows renormalised, and weights rounded until their JSON fits the server's
attribute limit. Pure functions of tensors and lists."""

from __future__ import annotations

from typing import List, Optional, Sequence

import torch

#: Decimal places tried in turn when fitting weights into the attribute limit.
_DECIMALS = (4, 3, 2)


def head_mean(attention: torch.Tensor) -> torch.Tensor:
    """The mean over heads of one layer's attention, ``[heads, n, n]`` → ``[n, n]``."""
    return attention.mean(dim=0)


def rollout(attentions: Sequence[torch.Tensor]) -> torch.Tensor:
    """Attention rollout (Abnar & Zuidema, 2020) over layers of ``[heads, n, n]``: each layer's
    head mean plus the residual connection (½A + ½I, rows renormalised), multiplied from the first
    layer up. Row i says how much token i's last-layer state draws on each input position."""
    if len(attentions) == 0:
        raise ValueError("rollout needs at least one layer")
    n = attentions[0].shape[-1]
    eye = torch.eye(n, dtype=torch.float64, device=attentions[0].device)
    result = eye
    for layer in attentions:
        mixed = 0.5 * head_mean(layer.to(torch.float64)) + 0.5 * eye
        mixed = mixed / mixed.sum(dim=-1, keepdim=True)
        result = mixed @ result
    return result


def window(matrix: torch.Tensor, k: int) -> torch.Tensor:
    """The last ``k`` tokens' block of an ``[n, n]`` map, each row renormalised to sum to 1 (the
    attention paid to tokens before the window is dropped, so rows still read as shares)."""
    block = matrix[-k:, -k:].to(torch.float64)
    return block / block.sum(dim=-1, keepdim=True).clamp_min(1e-12)


def _js_number_chars(value: float) -> int:
    """Characters of the number in JavaScript's JSON (what the server measures): 1.0 is ``1``."""
    if value == int(value):
        return len(str(int(value)))
    return len(repr(value))


def json_chars(values: Sequence[float]) -> int:
    """Length of ``values`` as a JSON array, numbers written as JavaScript writes them."""
    return 2 + max(0, len(values) - 1) + sum(_js_number_chars(v) for v in values)


def _weight_chars(scaled: torch.Tensor, decimals: int) -> int:
    """JSON length of the weights ``scaled / 10**decimals`` (integers from 0 to 10**decimals):
    ``0`` and ``1`` take one character, others ``0.`` plus their digits without trailing zeros."""
    one = 10**decimals
    inner = (scaled > 0) & (scaled < one)
    digits = torch.full_like(scaled, decimals)
    rest = scaled.clone()
    for _ in range(decimals):  # a trailing zero shortens the number by one digit
        zero = inner & (rest % 10 == 0)
        digits -= zero.long()
        rest = torch.where(zero, rest // 10, rest)
    chars = torch.where(inner, 2 + digits, torch.ones_like(scaled))
    return int(chars.sum()) + max(0, scaled.numel() - 1) + 2


def fit_weights(matrix: torch.Tensor, max_chars: int) -> Optional[List[float]]:
    """The map row-major, rounded to the most decimals (4, 3 or 2) whose JSON fits ``max_chars``;
    None when even 2 decimals do not fit (the caller shrinks the window). Weights are shares, so
    they are clamped to [0, 1]."""
    flat = matrix.flatten().to(torch.float64).clamp(0.0, 1.0)
    for decimals in _DECIMALS:
        scaled = torch.round(flat * 10**decimals).long()
        if _weight_chars(scaled, decimals) <= max_chars:
            return (scaled.double() / 10**decimals).tolist()
    return None


def fitted_window(matrix: torch.Tensor, k: int, max_chars: int) -> tuple[int, List[float]]:
    """(tokens kept, weights) for the last ``k`` tokens, fewer when their weights do not fit."""
    while k >= 2:
        weights = fit_weights(window(matrix, k), max_chars)
        if weights is not None:
            return k, weights
        k -= 4 if k > 8 else 1
    block = window(matrix, 1)
    return 1, [round(float(block[0, 0]), 2)]
