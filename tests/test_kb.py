import importlib.util
import re
import shutil
from pathlib import Path

import pytest
import spacy
from thinc.api import Config

import technews.pipeline.entities  # noqa: F401  (registers technews_entities)
from technews.errors import KnowledgeBaseError
from technews.kb import load_knowledge_base
from tests.conftest import TINY_KB

ROOT = Path(__file__).resolve().parents[1]


def load_build_script():
    spec = importlib.util.spec_from_file_location("build_kb", ROOT / "scripts" / "build_kb.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_tiny_kb_loads_every_table():
    kb = load_knowledge_base(TINY_KB)
    assert kb.organizations["Leica"].country == "DE"
    assert kb.product_lines["Mate"].maker == "Huawei"
    assert kb.products["WhatsApp"].also_org
    assert kb.places["Wien"].aliases == ("Wiens",)
    assert kb.people["Tim Cook"].organization == "Apple"
    assert "IFA" in kb.non_entities and "# fairs" not in kb.non_entities


def test_maker_chain_follows_parents():
    kb = load_knowledge_base(TINY_KB)
    assert kb.maker_chain("Redmi") == ["Redmi", "Xiaomi"]
    assert kb.maker_chain("Leica") == ["Leica"]
    assert kb.maker_chain(None) == []


def test_surface_forms_include_aliases_and_genitives():
    forms = dict(load_knowledge_base(TINY_KB).org_surface_forms())
    assert forms["Xiaomis"] == "Xiaomi"
    assert forms["Leica Camera AG"] == "Leica"


def test_shipped_kb_is_large_and_knows_the_product_lines():
    kb = load_knowledge_base()
    assert len(kb.organizations) > 14000
    assert len(kb.products) > 19000
    assert len(kb.places) > 20000
    assert len(kb.people) > 2500
    # an everyday word is a product only where its distinctive forms name it
    assert kb.products["Golf"].ambiguous and "VW Golf" in kb.products["Golf"].aliases
    # German names of foreign cities; everyday words abroad are no places, at home doubtful.
    assert kb.places["Neapel"].country == "IT" and "Naples" in kb.places["Neapel"].aliases
    assert "Auch" not in kb.places and kb.places["Zug"].ambiguous


def test_shipped_kb_knows_the_villages_at_home_but_not_those_named_by_everyday_words():
    places = load_knowledge_base().places
    assert len(places) > 20000
    assert places["Achenkirch"].country == "AT" and not places["Achenkirch"].ambiguous
    # a town named by frequent words needs its context; a village named `Brand` is dropped
    assert places["Weil am Rhein"].ambiguous and places["Langen"].ambiguous
    assert "Brand" not in places and "Sommer" not in places
    # at home GeoNames' own name is the German one: Laufen (CH) is not Lauffen (DE)
    assert not any("Laufen" in place.aliases for place in places.values())


def test_device_brands_are_matched_to_companies_not_to_agencies_with_the_same_acronym():
    kb = load_knowledge_base()
    assert kb.organizations["ACER"].kind == "authority"
    assert kb.products["Acer Iconia T10-21M"].maker == "Acer"
    for line, company in [
        ("Galaxy", "Samsung"),
        ("Mate", "Huawei"),
        ("Find", "Oppo"),
        ("Pixel", "Google"),
        ("iPhone", "Apple"),
        ("Redmi", "Xiaomi"),
    ]:
        assert company in kb.maker_chain(kb.product_lines[line].maker), line
    assert kb.organizations["Redmi"].parent == "Xiaomi"
    assert kb.organizations["Leica"].country == "DE"


@pytest.mark.parametrize(
    ("name", "forms"),
    [("Apple", ["Apples"]), ("Siemens", []), ("IBM", []), ("Deutsche Telekom", ["Deutschen Telekom"])],
)
def test_genitive_forms(name, forms):
    assert load_build_script().genitive_forms(name) == forms


@pytest.mark.parametrize(
    ("marketing_name", "brand", "cleaned"),
    [
        ("HUAWEI Mate 20 Pro", "Huawei", "Mate 20 Pro"),
        ("Xiaomi 12S Ultra", "Xiaomi", "Xiaomi 12S Ultra"),
        ("Find X2 中国版", "Oppo", "Find X2"),
        ("Redmi  Note  7", "Redmi", "Redmi Note 7"),
        ("RMX3268", "Realme", None),
        ("Absolute", "Samsung", None),
    ],
)
def test_marketing_names_are_cleaned(marketing_name, brand, cleaned):
    lines = frozenset({"Mate", "Galaxy"})
    assert load_build_script().clean_marketing_name(marketing_name, brand, lines) == cleaned


def test_a_path_without_a_knowledge_base_is_an_error_not_an_empty_one(tmp_path):
    # A copied config pointing at /etc once loaded as an empty knowledge base, finding nothing.
    with pytest.raises(KnowledgeBaseError, match="not a folder"):
        load_knowledge_base(tmp_path / "nowhere")
    with pytest.raises(KnowledgeBaseError, match=r"missing organizations\.jsonl"):
        load_knowledge_base(tmp_path)


def test_a_knowledge_base_missing_one_file_names_it(tmp_path):
    for file in TINY_KB.iterdir():
        if file.name != "people.jsonl":
            shutil.copy(file, tmp_path / file.name)
    with pytest.raises(KnowledgeBaseError, match=r"missing people\.jsonl$"):
        load_knowledge_base(tmp_path)


def test_a_pipeline_whose_config_points_at_no_knowledge_base_fails_to_initialize(tmp_path):
    config = Config().from_str(
        f"""
        [nlp]
        lang = "de"
        pipeline = ["technews_entities"]
        [components]
        [components.technews_entities]
        factory = "technews_entities"
        [initialize]
        [initialize.components]
        [initialize.components.technews_entities]
        [initialize.components.technews_entities.knowledge_base]
        @misc = "technews.knowledge_base.v1"
        path = "{tmp_path}"
        """
    )
    nlp = spacy.util.load_model_from_config(config, auto_fill=True)
    with pytest.raises(KnowledgeBaseError, match=re.escape(str(tmp_path))):
        nlp.initialize()


def test_a_written_knowledge_base_is_compressed_and_reads_back_equal(tmp_path):
    kb = load_knowledge_base(TINY_KB)
    kb.to_disk(tmp_path)
    assert sorted(path.suffix for path in tmp_path.iterdir()) == [".gz"] * 6
    assert load_knowledge_base(tmp_path) == kb
