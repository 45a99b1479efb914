"""logprobs=True on a traced OpenAI chat call: the span carries the mock's logprobs as
``gen_ai.choice.logprobs`` events, so Argus computes its perplexity exactly (streamed or not)."""

from __future__ import annotations

import math
from typing import List

import argus
import openai
import pytest
from conftest import Traces, only

MODEL = "gpt-4o-mini"


@pytest.fixture
def client(mock_url: str, sdk: argus.Handle) -> openai.OpenAI:
    return openai.OpenAI(api_key="test", base_url=f"{mock_url}/v1", max_retries=0)


def perplexity_of(logprobs: List[float]) -> float:
    total = 0.0
    for lp in logprobs:  # summed in token order, as the server does
        total += lp
    return math.exp(-(total / len(logprobs)))


def test_chat_with_logprobs_gets_its_exact_perplexity(client: openai.OpenAI, traces: Traces) -> None:
    with argus.chain("confident") as chain:
        r = client.chat.completions.create(
            model=MODEL,
            logprobs=True,
            top_logprobs=3,
            messages=[{"role": "user", "content": "Describe a lighthouse"}],
        )
    returned = [t.logprob for t in r.choices[0].logprobs.content]
    llm = only(traces.spans(chain.trace_id, 2), "llm")
    assert llm["perplexity"] == perplexity_of(returned)
    assert llm["logprobTokens"] == len(returned)
    event = next(e for e in llm["events"] if e["name"] == "gen_ai.choice.logprobs")
    content = event["attributes"]["logprobs.content"]
    assert [t["logprob"] for t in content] == returned
    assert len(content[0]["top_logprobs"]) == 3


def test_streamed_chat_with_logprobs_gets_its_exact_perplexity(client: openai.OpenAI, traces: Traces) -> None:
    with argus.chain("confident-stream") as chain:
        stream = client.chat.completions.create(
            model=MODEL,
            logprobs=True,
            stream=True,
            messages=[{"role": "user", "content": "Stream a line about the tide"}],
        )
        returned = [
            t.logprob for chunk in stream for c in chunk.choices if c.logprobs for t in c.logprobs.content or []
        ]
    llm = only(traces.spans(chain.trace_id, 2), "llm")
    assert returned and llm["perplexity"] == perplexity_of(returned)


def test_no_logprobs_event_unless_asked(client: openai.OpenAI, traces: Traces) -> None:
    with argus.chain("plain") as chain:
        client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "Hi"}])
    llm = only(traces.spans(chain.trace_id, 2), "llm")
    assert "perplexity" not in llm
    assert not [e for e in llm["events"] if e["name"] == "gen_ai.choice.logprobs"]
