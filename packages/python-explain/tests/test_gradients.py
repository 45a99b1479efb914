"""Integrated gradients over input embeddings: completeness (the attributions add up to
f(x) − f(baseline)) and the cost model (one batch per ``batch_size`` steps)."""

from __future__ import annotations

import pytest
import torch

from argus_explain._gradients import integrated_gradients


def ids(tokenizer, text: str) -> torch.Tensor:
    return tokenizer(text, return_tensors="pt")["input_ids"][0]


@pytest.mark.parametrize("steps, batch_size", [(64, 64), (64, 7)])
def test_completeness(model, tokenizer, steps: int, batch_size: int) -> None:
    # Batching must not change the sum: 7 does not divide 64 on purpose.
    prompt, output = ids(tokenizer, "where did the cat sit?"), ids(tokenizer, " on the mat")
    a = integrated_gradients(model, prompt, output, steps=steps, batch_size=batch_size)
    assert a.scores.shape == (prompt.shape[0],)
    difference = a.target_at_input - a.target_at_baseline
    assert abs(difference) > 1e-3  # the check below must be able to fail
    assert float(a.scores.sum()) == pytest.approx(difference, rel=0.02, abs=1e-3)
    assert abs(a.convergence_delta) <= 0.02 * abs(difference) + 1e-3


def test_target_is_the_log_probability_of_the_output(model, tokenizer) -> None:
    prompt, output = ids(tokenizer, "abc"), ids(tokenizer, "de")
    a = integrated_gradients(model, prompt, output, steps=4, batch_size=4)
    with torch.no_grad():
        logits = model(input_ids=torch.cat([prompt, output]).unsqueeze(0)).logits[0]
    logprobs = torch.log_softmax(logits, -1)
    expected = float(logprobs[2, output[0]] + logprobs[3, output[1]])
    assert a.target_at_input == pytest.approx(expected, abs=1e-4)


def test_more_steps_converge(model, tokenizer) -> None:
    prompt, output = ids(tokenizer, "the quick brown fox"), ids(tokenizer, " jumps")
    coarse = integrated_gradients(model, prompt, output, steps=2, batch_size=2)
    fine = integrated_gradients(model, prompt, output, steps=64, batch_size=32)
    assert abs(fine.convergence_delta) <= abs(coarse.convergence_delta) + 1e-6
