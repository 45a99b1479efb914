"""langsmith (@traceable + wrap_openai); LANGSMITH_ENDPOINT etc. come from the environment."""

from langsmith import Client, traceable
from langsmith.run_helpers import get_current_run_tree
from langsmith.wrappers import wrap_openai

from scenario import client, emit, run_chat_scenario

ls_client = Client()
oa = wrap_openai(client())
root_run_ids: list[str] = []


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
    root_run_ids.append(str(get_current_run_tree().id))
    lookup(topic)
    return run_chat_scenario(oa, topic)


truth = pipeline("langsmith-py")
ls_client.flush()
# A thumbs-up on the answer, by the run's id alone, as apps record user feedback (POST /feedback).
ls_client.create_feedback(root_run_ids[0], key="helpful", score=1, comment="from python")
emit({**truth, "rootRunId": root_run_ids[0]})
