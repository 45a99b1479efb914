"""The compat scenario (mirrors runChatScenario in ../support.ts) for the Python libraries.

Prints the ground truth as one JSON line on stdout for python.test.ts.
"""

import json
import os

import openai

MODEL = "gpt-4o-mini"
SYSTEM = "You are a terse storyteller."


def client() -> openai.OpenAI:
    return openai.OpenAI(api_key="test", base_url=os.environ["MOCK_OPENAI_URL"], max_retries=0)


def run_chat_scenario(oa, tag: str) -> dict:
    prompt = f"Tell a fable about {tag}"
    chat = oa.chat.completions.create(
        model=MODEL,
        temperature=0.3,
        top_p=0.9,
        max_tokens=50,
        messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": prompt}],
    )
    stream_prompt = f"Stream a fable about {tag}"
    stream = oa.chat.completions.create(
        model=MODEL,
        stream=True,
        stream_options={"include_usage": True},
        messages=[{"role": "user", "content": stream_prompt}],
    )
    streamed, usage, stream_model = "", None, ""
    for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            streamed += chunk.choices[0].delta.content
        stream_model = chunk.model
        if chunk.usage:
            usage = chunk.usage
    failing_prompt = f"[[fail:429]] {tag}"
    try:
        oa.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": failing_prompt}])
        raise SystemExit("the failing call did not fail")
    except openai.RateLimitError:
        pass
    return {
        "chat": {
            "prompt": prompt,
            "answer": chat.choices[0].message.content,
            "responseModel": chat.model,
            "inputTokens": chat.usage.prompt_tokens,
            "outputTokens": chat.usage.completion_tokens,
        },
        "stream": {
            "prompt": stream_prompt,
            "answer": streamed,
            "responseModel": stream_model,
            "inputTokens": usage.prompt_tokens if usage else 0,
            "outputTokens": usage.completion_tokens if usage else 0,
        },
        "failingPrompt": failing_prompt,
    }


def emit(truth: dict) -> None:
    print("TRUTH " + json.dumps(truth), flush=True)
