"""Integrated gradients (Sundararajan et al., 2017) over the input token embeddings of a causal
LM, with torch autograd: the target is the log-probability of the generated tokens given the
prompt, the baseline is the zero embedding, and the path integral is a midpoint Riemann sum of
``steps`` points, evaluated in batches."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch


@dataclass(frozen=True)
class Attribution:
    """Per-input-token attributions and the two ends of the path (completeness check)."""

    scores: torch.Tensor  # [n_input]
    target_at_input: float  # f(x): log p(output | prompt)
    target_at_baseline: float  # f(baseline)
    steps: int

    @property
    def convergence_delta(self) -> float:
        """Σ attributions − (f(x) − f(baseline)); near 0 when ``steps`` suffice."""
        return float(self.scores.sum()) - (self.target_at_input - self.target_at_baseline)


def _target(model: Any, embeds: torch.Tensor, ids: torch.Tensor, n_input: int) -> torch.Tensor:
    """log p(ids[n_input:] | ids[:n_input]) for each row of a batch of embeddings ``[b, n, d]``."""
    logits = model(inputs_embeds=embeds).logits
    logprobs = torch.log_softmax(logits[:, n_input - 1 : -1].float(), dim=-1)
    wanted = ids[n_input:].unsqueeze(0).expand(embeds.shape[0], -1).unsqueeze(-1)
    return logprobs.gather(-1, wanted).squeeze(-1).sum(dim=-1)


def integrated_gradients(
    model: Any, input_ids: torch.Tensor, output_ids: torch.Tensor, *, steps: int, batch_size: int
) -> Attribution:
    """Attributions of the prompt tokens ``input_ids [n_in]`` to the log-probability of
    ``output_ids [n_out]`` (n_out ≥ 1). Costs ``steps`` forward and backward passes over
    ``n_in + n_out`` tokens, ``batch_size`` at a time."""
    n_input = input_ids.shape[0]
    ids = torch.cat([input_ids, output_ids]).to(input_ids.device)
    with torch.no_grad():
        embeds = model.get_input_embeddings()(ids.unsqueeze(0))  # [1, n, d]
    x = embeds[:, :n_input].detach()
    baseline = torch.zeros_like(x)
    rest = embeds[:, n_input:].detach()
    alphas = (torch.arange(steps, dtype=x.dtype, device=x.device) + 0.5) / steps
    total = torch.zeros_like(x[0])
    for chunk in alphas.split(batch_size):
        scaled = (baseline + chunk.view(-1, 1, 1) * (x - baseline)).requires_grad_(True)
        batch = torch.cat([scaled, rest.expand(chunk.shape[0], -1, -1)], dim=1)
        (grad,) = torch.autograd.grad(_target(model, batch, ids, n_input).sum(), scaled)
        total += grad.sum(dim=0)
    scores = ((x - baseline)[0] * total / steps).sum(dim=-1).detach().float().cpu()
    with torch.no_grad():
        ends = _target(model, torch.cat([torch.cat([x, rest], 1), torch.cat([baseline, rest], 1)]), ids, n_input)
    return Attribution(scores, float(ends[0]), float(ends[1]), steps)
