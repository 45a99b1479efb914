"""Option resolution: options over environment over defaults; invalid values are reported and
replaced by the default (never raised)."""

from __future__ import annotations

from typing import List

import pytest
from argus._config import resolve_config
from argus._diagnostics import set_diagnostics


@pytest.fixture
def reported() -> List[str]:
    messages: List[str] = []
    set_diagnostics(lambda message, level: messages.append(message))
    yield messages
    set_diagnostics(None)


@pytest.mark.parametrize(
    "env, option, base, traces",
    [
        # Why: with nothing set, Argus on loopback is the default.
        ({}, None, "http://127.0.0.1:4318", "http://127.0.0.1:4318/v1/traces"),
        # Why: ARGUS_ENDPOINT wins over the generic OTel variables.
        (
            {"ARGUS_ENDPOINT": "http://argus:4318/", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://other:4318"},
            None,
            "http://argus:4318",
            "http://argus:4318/v1/traces",
        ),
        # Why: the traces endpoint is a full URL; the score API lives beside it.
        (
            {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://c:4318/v1/traces"},
            None,
            "http://c:4318",
            "http://c:4318/v1/traces",
        ),
        # Why: the option wins over every variable.
        (
            {"ARGUS_ENDPOINT": "http://argus:4318"},
            "https://x.example/",
            "https://x.example",
            "https://x.example/v1/traces",
        ),
    ],
)
def test_endpoint_precedence(env: dict, option: str, base: str, traces: str) -> None:
    config = resolve_config(endpoint=option, env=env)
    assert (config.endpoint, config.traces_url) == (base, traces)


def test_headers_key_and_capture_flag() -> None:
    config = resolve_config(
        headers={"X-Team": "a"},
        env={
            "OTEL_EXPORTER_OTLP_HEADERS": "x-team=b,x-env=prod%20eu",
            "ARGUS_API_KEY": "sk-1",
            "ARGUS_CAPTURE_CONTENT": "off",
            "ARGUS_SAMPLE_RATE": "0.25",
            "OTEL_SERVICE_NAME": "svc",
        },
    )
    assert config.headers == {"x-team": "a", "x-env": "prod eu", "authorization": "Bearer sk-1"}
    assert config.capture_content is False and config.sample_rate == 0.25 and config.service_name == "svc"


def test_invalid_values_fall_back_to_defaults_with_a_message(reported: List[str]) -> None:
    config = resolve_config(endpoint="ftp://nope", sample_rate=5, max_content_chars=-1, redact="x", env={})  # type: ignore[arg-type]
    assert config.endpoint == "http://127.0.0.1:4318"
    assert config.sample_rate == 1.0 and config.max_content_chars == 32000 and config.redact is None
    assert "Ignoring endpoint 'ftp://nope': expected an http(s) URL" in reported
    assert "Ignoring sample rate 5: expected a number from 0 to 1" in reported
    assert "Ignoring max_content_chars -1: expected a positive number" in reported
