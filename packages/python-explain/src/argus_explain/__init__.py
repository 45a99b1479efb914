"""argus-explain: white-box explanations of a local Hugging Face causal LM, recorded in Argus.

    from argus_explain import Explainer
    explainer = Explainer(model, tokenizer, endpoint="http://127.0.0.1:4318", service_name="my-app")
    generation = explainer.generate("The capital of France is", max_new_tokens=8)
    explainer.flush()

One ``generate`` call records one LLM span with ``argus.explain.attention`` (per layer and head,
head means, rollout), ``argus.explain.attribution`` (integrated gradients per prompt token) and
``argus.explain.layer_stats`` (time, activation norm and saturation per layer) events.
"""

from ._config import MAX_TOKENS, ExplainConfig, resolve_config
from ._errors import ExplainError
from ._explainer import Explainer, Generation

__all__ = ["MAX_TOKENS", "ExplainConfig", "ExplainError", "Explainer", "Generation", "resolve_config"]
__version__ = "0.1.0"
