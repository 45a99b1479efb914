"""The official Python `openai` client through the Argus gateway and directly against the mock
LLM: prints one JSON line with both answers (not streamed and streamed) and the gateway's trace
ids, for gateway-python.int.test.ts to compare."""

import json
import os

from openai import OpenAI

gateway = OpenAI(base_url=os.environ["GATEWAY_URL"], api_key="unused", max_retries=0)
direct = OpenAI(base_url=os.environ["MOCK_URL"], api_key="unused", max_retries=0)
request = {
    "model": "gpt-4o-mini",
    "messages": [{"role": "user", "content": "What is the capital of France?"}],
}

raw = gateway.chat.completions.with_raw_response.create(**request)
via_gateway = raw.parse().model_dump()
from_mock = direct.chat.completions.create(**request).model_dump()

options = {"stream": True, "stream_options": {"include_usage": True}}
raw_stream = gateway.chat.completions.with_raw_response.create(**request, **options)
gateway_chunks = [c.model_dump() for c in raw_stream.parse()]
mock_chunks = [c.model_dump() for c in direct.chat.completions.create(**request, **options)]

print(
    "RESULT "
    + json.dumps(
        {
            "gateway": via_gateway,
            "direct": from_mock,
            "gatewayChunks": gateway_chunks,
            "directChunks": mock_chunks,
            "traceIds": [raw.headers["x-argus-trace-id"], raw_stream.headers["x-argus-trace-id"]],
        }
    )
)
