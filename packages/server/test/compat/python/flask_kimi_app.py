"""The classic "Flask + OpenLIT + Kimi" setup: a Flask app, openlit.init(otlp_endpoint=<argus>),
the openai package pointed at an OpenAI-compatible (Kimi-like) provider, the answer STREAMED
from a route. Routes: /chat (JSON), /stream (text, streamed), /stream-truth, /fail."""

import json
import os
import signal
import sys
import tempfile

import openai
import openlit
from flask import Flask, Response, jsonify, request
from opentelemetry import trace

# An inline (empty) price list: the default downloads one. OpenLIT then reports cost 0.
prices = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
json.dump({"chat": {}}, prices)
prices.close()
openlit.init(
    otlp_endpoint=os.environ["ARGUS_URL"],
    application_name="flask-kimi",
    environment="compat",
    disable_batch=True,
    disable_metrics=True,
    pricing_json=prices.name,
)

KIMI = "moonshot-v1-8k"
SYSTEM = "You are a terse storyteller."
kimi = openai.OpenAI(api_key="test", base_url=os.environ["MOCK_OPENAI_URL"], max_retries=0)
app = Flask(__name__)
last_stream: dict = {}


@app.get("/chat")
def chat():
    prompt = request.args["prompt"]
    r = kimi.chat.completions.create(
        model=KIMI,
        temperature=0.3,
        top_p=0.9,
        max_tokens=50,
        messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": prompt}],
    )
    return jsonify(
        prompt=prompt,
        answer=r.choices[0].message.content,
        responseModel=r.model,
        inputTokens=r.usage.prompt_tokens,
        outputTokens=r.usage.completion_tokens,
    )


@app.get("/stream")
def stream():
    prompt = request.args["prompt"]

    def generate():
        s = kimi.chat.completions.create(
            model=KIMI,
            stream=True,
            stream_options={"include_usage": True},
            messages=[{"role": "user", "content": prompt}],
        )
        for chunk in s:
            if chunk.choices and chunk.choices[0].delta.content:
                yield chunk.choices[0].delta.content
            last_stream["responseModel"] = chunk.model
            if chunk.usage:
                last_stream["inputTokens"] = chunk.usage.prompt_tokens
                last_stream["outputTokens"] = chunk.usage.completion_tokens

    return Response(generate(), mimetype="text/plain")


@app.get("/stream-truth")
def stream_truth():
    return jsonify(last_stream)


@app.get("/fail")
def fail():
    try:
        kimi.chat.completions.create(model=KIMI, messages=[{"role": "user", "content": request.args["prompt"]}])
    except openai.APIStatusError as e:
        return jsonify(error=str(e)), 502
    return jsonify(error="did not fail"), 500


def stop(*_):
    provider = trace.get_tracer_provider()
    provider.force_flush()
    provider.shutdown()
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)

if __name__ == "__main__":
    print("READY", flush=True)
    app.run(host="127.0.0.1", port=int(os.environ["PORT"]), threaded=True)
