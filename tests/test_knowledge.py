"""What the rule components know is saved with the pipeline and read back from it alone."""

import shutil
from pathlib import Path

import pytest
import spacy

import technews
from technews import NotInitializedError
from technews.kb import default_kb_path
from technews.lexicon import LEXICON_FILES, lexicon_path, load_lexicon
from technews.pipeline.knowledge import KB_FOLDER, Knowledge

RULE_COMPONENTS = (
    "technews_model_numbers",
    "technews_entities",
    "technews_canonical",
    "technews_references",
    "technews_relations",
    "technews_relation_scorer",
)
TEXT = "Huawei zeigt das Mate 40 Pro. Xiaomi arbeitet beim Xiaomi 12 Ultra mit Leica zusammen."


def test_knowledge_written_to_disk_reads_back_equal(tmp_path):
    knowledge = Knowledge.of()
    knowledge.to_disk(tmp_path)
    again = Knowledge.from_disk(tmp_path)
    assert again.kb == knowledge.kb
    assert again.lexicon.files == knowledge.lexicon.files
    assert again.triggers == knowledge.triggers


def test_every_rule_component_of_the_shipped_model_holds_its_knowledge(nlp):
    model = technews.default_model_path()
    for name in RULE_COMPONENTS:
        assert (model / name / KB_FOLDER / "organizations.jsonl.gz").is_file(), name
    # The copies are one knowledge base in memory, and its names one table.
    assert len({id(nlp.get_pipe(name).knowledge.kb) for name in RULE_COMPONENTS}) == 1
    assert nlp.get_pipe("technews_entities").names is nlp.get_pipe("technews_name_features").names


def test_a_copied_model_ignores_changes_to_the_installed_package_data(tmp_path, monkeypatch):
    model = tmp_path / "model"
    shutil.copytree(technews.default_model_path(), model)
    before = technews.extract(TEXT, technews.load(model))
    package_kb = tmp_path / "package_kb"
    shutil.copytree(default_kb_path(), package_kb)
    (package_kb / "organizations.jsonl").write_text("", encoding="utf-8")
    (package_kb / "products.jsonl").write_text("", encoding="utf-8")
    (package_kb / "product_lines.jsonl").write_text("", encoding="utf-8")
    monkeypatch.setattr("technews.kb.default_kb_path", lambda: package_kb)
    # The changed package data does change a pipeline initialized from it ...
    blank = spacy.blank("de", config={"nlp": {"tokenizer": {"@tokenizers": "technews.tokenizer.v1"}}})
    blank.add_pipe("technews_entities").initialize()
    assert not [ent for ent in blank(TEXT).ents if ent.text == "Mate 40 Pro"]
    # ... and not the saved one.
    assert technews.extract(TEXT, technews.load(model)) == before
    assert {"Mate 40 Pro", "Huawei"} <= {e["text"] for e in before["entities"]}


def test_a_rule_component_used_before_initialize_says_so():
    nlp = spacy.blank("de")
    nlp.add_pipe("technews_entities")
    with pytest.raises(NotInitializedError, match=r"technews_entities.*nlp\.initialize"):
        nlp("Huawei zeigt das Mate 40 Pro.")


def test_the_shipped_model_carries_the_package_data(nlp):
    # Rebuilding the knowledge base or a lexicon means assembling the model again.
    saved = nlp.get_pipe("technews_entities").knowledge
    package = Knowledge.of()
    assert saved.kb == package.kb
    assert saved.lexicon.files == package.lexicon.files
    assert saved.triggers == package.triggers


def test_the_coordinating_words_are_defined_once():
    lexicon = Knowledge.of().lexicon
    assert lexicon.product_grammar_words.coordinators is lexicon.coordinators
    assert lexicon.role_cues.coordinators is lexicon.coordinators
    assert {"und", "oder", "sowie", "bzw.", ","} <= lexicon.coordinators
    # No module keeps a list of its own.
    for module in Path(technews.__file__).parent.rglob("*.py"):
        assert '"und"' not in module.read_text(encoding="utf-8"), module.name


def test_the_pipeline_round_trips_through_bytes_with_its_knowledge(nlp):
    # A pipeline built from the config and filled from bytes alone, as spaCy's
    # nlp.to_bytes() / nlp.from_bytes() move a pipeline without a folder.
    copy = spacy.util.load_model_from_config(nlp.config, auto_fill=True)
    copy.from_bytes(nlp.to_bytes())
    assert technews.extract(TEXT, copy) == technews.extract(TEXT, nlp)
    saved = nlp.get_pipe("technews_entities").knowledge
    assert copy.get_pipe("technews_relation_scorer").knowledge.kb == saved.kb


def test_a_lexicon_saved_before_the_first_names_existed_still_loads(tmp_path):
    for name in LEXICON_FILES:
        shutil.copy(lexicon_path(name), tmp_path / name)
    lexicon = load_lexicon(tmp_path)
    assert lexicon.first_names == frozenset() and "first_names.txt" not in lexicon.files
    assert {"Sabine", "Tim"} <= load_lexicon().first_names


def test_nlp_initialize_gives_a_rule_component_the_package_data():
    """spaCy validates ``initialize``'s settings against the component's signature, which
    must name real types (technews_name_features is trained this way)."""
    nlp = spacy.blank("de", config={"nlp": {"tokenizer": {"@tokenizers": "technews.tokenizer.v1"}}})
    nlp.add_pipe("technews_model_numbers")
    nlp.initialize()
    assert [token.text for token in nlp("Das iPhone 15.")] == ["Das", "iPhone", "15", "."]
