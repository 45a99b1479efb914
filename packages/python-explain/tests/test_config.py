"""Configuration like argus-sdk's (options over environment over defaults) and the clear errors of
a configuration or model the explainer cannot use."""

from __future__ import annotations

import pytest

from argus_explain import ExplainError, Explainer, resolve_config
from tiny import tiny_model


def test_defaults_and_environment() -> None:
    assert resolve_config(env={}).traces_url == "http://127.0.0.1:4318/v1/traces"
    c = resolve_config(env={"ARGUS_ENDPOINT": "http://argus:4318/", "ARGUS_API_KEY": "k1",
                            "OTEL_SERVICE_NAME": "svc", "OTEL_EXPORTER_OTLP_HEADERS": "x-team=a%20b"})
    assert c.traces_url == "http://argus:4318/v1/traces"
    assert c.headers == {"authorization": "Bearer k1", "x-team": "a b"}
    assert c.service_name == "svc"


def test_options_win_over_the_environment() -> None:
    c = resolve_config(endpoint="https://a.example", api_key="k2", headers={"X-Api-Key": "h"},
                       service_name="mine", env={"ARGUS_ENDPOINT": "http://b", "ARGUS_API_KEY": "k1"})
    assert (c.endpoint, c.service_name) == ("https://a.example", "mine")
    assert c.headers == {"authorization": "Bearer k2", "x-api-key": "h"}


@pytest.mark.parametrize(
    "options, message",
    [
        ({"endpoint": "argus:4318"}, "Cannot use endpoint 'argus:4318': expected an http(s) URL"),
        ({"heads": "some"}, "Cannot use heads 'some': expected 'all' or 'mean'"),
        ({"max_tokens": 65}, "Cannot use max_tokens 65: the convention allows at most 64"),
        ({"ig_steps": 0}, "Cannot use ig_steps 0: expected an integer ≥ 1"),
        ({"layers": ["0"]}, "Cannot use layers"),
        ({"saturation_sigma": -1}, "Cannot use saturation_sigma -1"),
    ],
)
def test_bad_options_are_named(options, message) -> None:
    with pytest.raises(ExplainError, match=message.replace("(", r"\(").replace(")", r"\)")):
        resolve_config(env={}, **options)


def test_a_layer_the_model_does_not_have(model, tokenizer) -> None:
    with pytest.raises(ExplainError, match=r"Cannot record layer 2: the model has 2 layers \(0 to 1\)"):
        Explainer(model, tokenizer, layers=[2])


def test_a_model_without_attentions_is_a_clear_error(tokenizer, spans) -> None:
    # transformers' SDPA attention returns no weights: say so, and how to fix it.
    sdpa = tiny_model(attn="sdpa")
    with pytest.raises(ExplainError, match=r"no attention weights.*'sdpa'.*attn_implementation=\"eager\""):
        Explainer(sdpa, tokenizer)
    # Without attention it records the rest.
    explainer = Explainer(sdpa, tokenizer, attention=False, tracer_provider=spans.provider)
    names = {name for name, _ in explainer.generate("hello", max_new_tokens=3).events}
    assert names == {"argus.explain.attribution", "argus.explain.layer_stats"}


def test_not_a_causal_lm(tokenizer) -> None:
    with pytest.raises(ExplainError, match="Cannot explain object: expected a transformers causal LM"):
        Explainer(object(), tokenizer)
