"""The "Flask + Kimi" app of the compatibility tests, on the Argus SDK instead of OpenLIT: a Flask
app, the openai package pointed at an OpenAI-compatible (Kimi) provider, the answer STREAMED from a
route. Every request is a server span; the Kimi call is its llm child, with session and user.

Run it against Kimi:  MOONSHOT_API_KEY=… KIMI_BASE_URL=https://api.moonshot.ai/v1 python flask_kimi.py
or the repository's mock LLM:  KIMI_BASE_URL=http://127.0.0.1:8787/v1 python flask_kimi.py
Routes: /chat (JSON), /stream (text, streamed), /stream-truth, /fail."""

import os
import signal
import sys

import argus
import openai
from flask import Flask, Response, jsonify, request

argus.init(
    endpoint=os.environ.get("ARGUS_URL", "http://127.0.0.1:4318"),
    service_name="flask-kimi",
    environment="compat",
)

KIMI = "moonshot-v1-8k"
SYSTEM = "You are a terse storyteller."
kimi = openai.OpenAI(
    api_key=os.environ.get("MOONSHOT_API_KEY", "test"),
    base_url=os.environ.get("KIMI_BASE_URL", "https://api.moonshot.ai/v1"),
    max_retries=0,
)
app = argus.instrument_flask(Flask(__name__))
last_stream: dict = {}


def who() -> dict:
    """Session and user of the request (a real app takes them from its own session/auth)."""
    return {"session_id": request.headers.get("x-session-id"), "user_id": request.headers.get("x-user-id")}


@app.get("/chat")
def chat():
    prompt = request.args["prompt"]
    with argus.context(**who()):
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
        traceId=argus.current_trace_id(),  # for feedback: argus.score(..., trace_id=traceId)
    )


@app.get("/stream")
def stream():
    prompt = request.args["prompt"]
    context = who()  # read now: Flask runs the generator after this view returned

    def generate():
        # Context set in the view has ended by now; set it where the call runs.
        with argus.context(**context):
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

    return Response(generate(), mimetype="text/plain", headers={"x-trace-id": argus.current_trace_id() or ""})


@app.get("/stream-truth")
def stream_truth():
    return jsonify(last_stream)


@app.get("/fail")
def fail():
    try:
        kimi.chat.completions.create(model=KIMI, messages=[{"role": "user", "content": request.args["prompt"]}])
    except openai.APIStatusError as e:
        return jsonify(error=str(e), traceId=argus.current_trace_id()), 502
    return jsonify(error="did not fail"), 500


def stop(*_):
    argus.shutdown()  # flushes what is still queued
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)

if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threaded=True)
