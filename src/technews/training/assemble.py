"""Assemble the shipped pipeline from configs/technews.cfg, with trained parts if given.

The trained NER runs first (after the knowledge-base features it reads, where it was
trained with them); the rule-based entity recognizer then adds what the
knowledge base and the product grammar know and wins where they overlap (see
README, "Rules and model together"). Without the rules, the pipeline measures
the model alone. The trained relation scorer comes from a pipeline it was trained
in; without one, the rules' relations stand alone.
"""

from __future__ import annotations

from pathlib import Path

import spacy
import srsly
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.util import registry

import technews
from technews.pipeline.knowledge import Knowledge

PARAGRAPH_BREAKS = ["\n", "\n\n", "\n\n\n", "\n\n\n\n"]


RELATION_SCORER = "technews_relation_scorer"
NAME_FEATURES = "technews_name_features"


def set_knowledge(nlp: Language) -> None:
    """Give every rule component, the sourced relation scorer too, the knowledge its
    ``[initialize]`` settings name. Not nlp.initialize(): it would reset the trained parts."""
    settings = registry.resolve(nlp.config.interpolate()["initialize"]["components"])
    for name, component in nlp.pipeline:
        if hasattr(component, "set_knowledge"):
            component.set_knowledge(Knowledge.of(**settings.get(name, {})))


def assemble(
    config_path: Path,
    out: Path,
    ner: Path | None = None,
    rules: bool = True,
    relation_scorer: Path | None = None,
) -> Path:
    config = spacy.util.load_config(config_path)
    # spaCy's sentence-final characters plus paragraph breaks: a headline is a sentence.
    config["components"]["sentencizer"]["punct_chars"] = [*Sentencizer.default_punct_chars, *PARAGRAPH_BREAKS]
    pipeline = list(config["nlp"]["pipeline"])
    if ner is not None:
        config["components"]["ner"] = {"source": str(ner)}
        pipeline.insert(0, "ner")
        if NAME_FEATURES in spacy.util.load_config(Path(ner) / "config.cfg")["nlp"]["pipeline"]:
            config["components"][NAME_FEATURES] = {"source": str(ner)}  # what the NER reads
            pipeline.insert(0, NAME_FEATURES)
    if not rules:
        pipeline.remove("technews_entities")
        del config["components"]["technews_entities"]
    if relation_scorer is not None:
        config["components"][RELATION_SCORER] = {"source": str(relation_scorer)}
    else:
        pipeline.remove(RELATION_SCORER)
        del config["components"][RELATION_SCORER]
    config["nlp"]["pipeline"] = pipeline
    nlp = spacy.util.load_model_from_config(config, auto_fill=True)
    set_knowledge(nlp)
    kind = "rules and a trained NER" if ner and rules else "a trained NER" if ner else "rules"
    if relation_scorer is not None:
        kind += ", with a trained relation scorer"
    nlp.meta.update(
        {
            "name": "technews_de",
            "version": technews.__version__,
            "description": f"German tech-news entities and brand relations: {kind}.",
        }
    )
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)
    # The string store holds every word of the training texts and the knowledge base's
    # names, and reading it was a fifth of the load time. No component needs it: the NER
    # embeds hashes of token features, and every other string is added as a doc is made.
    srsly.write_json(Path(out) / "vocab" / "strings.json", [])
    return out
