"""Attention maps: the model's rows, head means, windows and rollout are distributions (rows sum
to 1); rollout keeps causality; weights are rounded or the window shrunk to fit the value limit."""

from __future__ import annotations

import json

import pytest
import torch

from argus_explain._attention import _weight_chars, fit_weights, fitted_window, head_mean, json_chars, rollout, window


def attentions_of(model, n: int = 12):
    ids = torch.arange(2, 2 + n).unsqueeze(0)
    with torch.no_grad():
        return [a[0] for a in model(input_ids=ids, output_attentions=True).attentions]


def test_model_rows_and_head_means_sum_to_one(model) -> None:
    attentions = attentions_of(model)
    assert len(attentions) == 2 and attentions[0].shape == (2, 12, 12)
    for layer in attentions:
        assert torch.allclose(layer.sum(-1), torch.ones(2, 12), atol=1e-5)
        assert torch.allclose(head_mean(layer).sum(-1), torch.ones(12), atol=1e-5)


def test_rollout_is_a_causal_n_by_n_distribution(model) -> None:
    attentions = attentions_of(model)
    r = rollout(attentions)
    assert r.shape == (12, 12)
    assert torch.allclose(r.sum(-1), torch.ones(12, dtype=r.dtype), atol=1e-9)
    # A token draws only on itself and earlier tokens: the upper triangle stays 0.
    assert float(torch.triu(r, diagonal=1).abs().max()) == 0.0
    # The first token can only draw on itself.
    assert float(r[0, 0]) == pytest.approx(1.0)


def test_rollout_of_identity_attention_is_identity() -> None:
    # Every head attends to itself only: nothing mixes, whatever the number of layers.
    eye = torch.eye(5).expand(3, 5, 5)
    assert torch.allclose(rollout([eye, eye, eye]), torch.eye(5, dtype=torch.float64))


def test_window_keeps_the_last_tokens_and_renormalises_rows() -> None:
    m = torch.softmax(torch.randn(10, 10), dim=-1)
    w = window(m, 4)
    assert w.shape == (4, 4)
    assert torch.allclose(w.sum(-1), torch.ones(4, dtype=w.dtype))
    assert float(w[0, 1] / w[0, 0]) == pytest.approx(float(m[6, 7] / m[6, 6]))


def test_sixty_four_tokens_fit_the_default_value_limit() -> None:
    # The worst case the convention allows: 64 × 64 causal weights, no zero rounded away.
    m = torch.tril(torch.rand(64, 64) + 0.01)
    m = m / m.sum(-1, keepdim=True)
    k, weights = fitted_window(m, 64, 16_384)
    assert k == 64 and len(weights) == 4096
    assert len(json.dumps(weights, separators=(",", ":")).replace(".0,", ",")) <= 16_384 + 4096
    assert json_chars(weights) <= 16_384
    rows = torch.tensor(weights).view(64, 64).sum(-1)
    assert torch.allclose(rows, torch.ones(64, dtype=rows.dtype), atol=64 * 0.005)


def test_a_small_value_limit_shrinks_the_window() -> None:
    m = torch.softmax(torch.randn(40, 40), dim=-1)
    assert fit_weights(m, 1_000) is None
    k, weights = fitted_window(m, 40, 1_000)
    assert k < 40 and len(weights) == k * k and json_chars(weights) <= 1_000


@pytest.mark.parametrize(
    "values, text",
    [
        # Integral doubles are written without ".0" by JavaScript, as the server measures them.
        ([1.0, 0.0], "[1,0]"),
        ([0.25, 0.1234], "[0.25,0.1234]"),
        ([], "[]"),
    ],
)
def test_json_chars_counts_as_javascript_writes(values, text) -> None:
    assert json_chars(values) == len(text)


@pytest.mark.parametrize("decimals", [4, 3, 2])
def test_the_fast_length_count_matches_the_json(decimals: int) -> None:
    # Zeros, ones, trailing zeros (0.5, 0.25, 0.1200) and ordinary values, as rounded weights.
    values = torch.cat([torch.tensor([0.0, 1.0, 0.5, 0.25, 0.12, 0.0001, 0.9999]), torch.rand(500)])
    scaled = torch.round(values.double() * 10**decimals).long()
    weights = (scaled.double() / 10**decimals).tolist()
    assert _weight_chars(scaled, decimals) == json_chars(weights)
    assert _weight_chars(scaled, decimals) == len(json.dumps([int(w) if w == int(w) else w for w in weights],
                                                             separators=(",", ":")))
