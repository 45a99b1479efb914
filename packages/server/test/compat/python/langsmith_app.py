"""langsmith (@traceable + wrap_openai); LANGSMITH_ENDPOINT etc. come from the environment."""

from langsmith import Client, traceable
from langsmith.wrappers import wrap_openai

from scenario import client, emit, run_chat_scenario

ls_client = Client()
oa = wrap_openai(client())


@traceable(name="lookup", run_type="tool", client=ls_client)
def lookup(topic: str) -> str:
    return f"facts about {topic}"


@traceable(
    name="pipeline",
    client=ls_client,
    metadata={"session_id": "sess-ls-py", "user_id": "user-ls-py"},
    tags=["compat"],
)
def pipeline(topic: str) -> dict:
    lookup(topic)
    return run_chat_scenario(oa, topic)


truth = pipeline("langsmith-py")
ls_client.flush()
emit(truth)
