"""Shared fixtures: a tiny synthetic knowledge base, pipelines and the seed article."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.pipeline import Sentencizer

import technews
from technews.kb import load_knowledge_base

FIXTURES = Path(__file__).parent / "fixtures"
TINY_KB = FIXTURES / "kb"
SENTENCE_ENDS = [*Sentencizer.default_punct_chars, "\n", "\n\n", "\n\n\n"]
SEED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "seed"


def tiny_pipeline(*components: str) -> Language:
    """A blank technews pipeline over the tiny knowledge base, with the given components."""
    nlp = spacy.blank("de", config={"nlp": {"tokenizer": {"@tokenizers": "technews.tokenizer.v1"}}})
    kb = load_knowledge_base(TINY_KB)
    # As in configs/technews.cfg: tokens are settled before sentences are set.
    for name in ("technews_model_numbers", *components):
        nlp.add_pipe(name).initialize(lambda: [], nlp=nlp, knowledge_base=kb)
        if name == "technews_model_numbers":
            nlp.add_pipe("sentencizer", config={"punct_chars": SENTENCE_ENDS})
    return nlp


@pytest.fixture(scope="session")
def tiny_nlp() -> Language:
    return tiny_pipeline(
        "technews_entities", "technews_canonical", "technews_references", "technews_relations"
    )


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The shipped pipeline."""
    return technews.load()


@pytest.fixture(scope="session")
def seed_gold() -> dict:
    return json.loads((SEED / "leica_xiaomi.gold.jsonl").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_text() -> str:
    return (SEED / "leica_xiaomi.txt").read_text(encoding="utf-8")


def article_relations(nlp: Language, text: str) -> set[tuple[str, str, str, str]]:
    """Article-level relations; partner_of (symmetric) with its names in alphabetical order."""
    found = set()
    for r in technews.extract(text, nlp)["relations"]:
        head, tail = r["head"], r["tail"]
        if r["relation"] == "partner_of":
            head, tail = sorted((head, tail))
        found.add((head, r["relation"], tail, r["status"]))
    return found
