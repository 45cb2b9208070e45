"""Properties of every record on any text (issue 10): the checks of bench/fuzz.py, with hypothesis.

The generators and the property checker live in bench/fuzz.py, shared with the fuzzer; here
hypothesis draws the class, the random state and the length, plus arbitrary ``st.text()``.
A fixed, derandomized budget keeps the file at about half a minute of CPU.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language

import technews

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import fuzz  # bench/fuzz.py: generators and properties, shared with the fuzzer

CI = settings(deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
sizes = st.integers(min_value=1, max_value=1500)
generated_texts = st.builds(
    lambda name, rng, size: fuzz.GENERATORS[name](rng, size),
    st.sampled_from(sorted(fuzz.GENERATORS)),
    st.randoms(use_true_random=False),
    sizes,
)
any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=300)


def assert_properties(nlp: Language, text: str) -> None:
    try:
        prepared = technews.prepare_text(text)
    except technews.InvalidInputError:
        return  # the one exception extract may raise
    record = technews.extract(text, nlp)
    assert fuzz.violations(prepared, record) == []


@pytest.mark.slow
@settings(CI, max_examples=400)
@given(text=generated_texts)
def test_records_keep_their_properties_on_every_class_of_pathological_text(nlp: Language, text: str) -> None:
    assert_properties(nlp, text)


@settings(CI, max_examples=300)
@given(text=any_text)
def test_records_keep_their_properties_on_arbitrary_unicode(nlp: Language, text: str) -> None:
    assert_properties(nlp, text)


def test_fuzzer_route_gives_the_records_of_extract(nlp: Language) -> None:
    """bench/fuzz.py batches with nlp.pipe: its records must be those of technews.extract."""
    texts = [technews.prepare_text(fuzz.generated(7, i)[1]) for i in range(24)]
    assert fuzz.records(nlp, texts, batch_size=5) == [technews.extract(text, nlp) for text in texts]


def test_checker_flags_white_space_edges_self_relations_and_dangling_names() -> None:
    text = "Samsung zeigt das Galaxy S24.\x85 ID\n\n  "
    entity = {"start": 31, "end": 37, "label": "PRODUCT", "text": "ID\n\n  ", "canonical": "ID"}
    samsung = {"start": 0, "end": 7, "label": "ORG", "text": "Samsung", "canonical": "Samsung"}
    relations = [
        {"head": "Samsung", "relation": "partner_of", "tail": "Samsung"},
        {"head": "ID", "relation": "made_by", "tail": "Apple"},
    ]
    found = {
        prop for prop, _ in fuzz.violations(text, {"entities": [entity, samsung], "relations": relations})
    }
    assert found == {
        "entity starts/ends with white space",
        "relation head == tail",
        "relation names no entity",
    }


def test_checker_accepts_the_brand_inside_a_product_name() -> None:
    text = "Das Samsung Galaxy S24 kommt."
    product = {
        "start": 4,
        "end": 22,
        "label": "PRODUCT",
        "text": "Samsung Galaxy S24",
        "canonical": "Galaxy S24",
    }
    relation = {"head": "Galaxy S24", "relation": "made_by", "tail": "Samsung"}
    assert fuzz.violations(text, {"entities": [product], "relations": [relation]}) == []
