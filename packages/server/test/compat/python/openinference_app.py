"""openinference-instrumentation-openai, registered through arize-phoenix-otel's register()."""

import os

from openinference.instrumentation.openai import OpenAIInstrumentor
from phoenix.otel import register

from scenario import client, emit, run_chat_scenario

provider = register(
    endpoint=os.environ["ARGUS_URL"] + "/v1/traces",
    project_name="openinference-py",
    batch=False,
    set_global_tracer_provider=False,
    verbose=False,
)
OpenAIInstrumentor().instrument(tracer_provider=provider)
truth = run_chat_scenario(client(), "openinference-py")
provider.force_flush()
provider.shutdown()
emit(truth)
