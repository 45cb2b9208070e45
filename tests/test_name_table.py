"""Names found by token look-up, and the tokenization of names saved with the knowledge."""

from __future__ import annotations

import spacy

from technews.pipeline.knowledge import NAME_TOKENS_FILE, Knowledge
from technews.pipeline.name_table import NameTable, name_table, split_names, tokens_of
from tests.conftest import tiny_pipeline


def blank_technews():
    return spacy.blank("de", config={"nlp": {"tokenizer": {"@tokenizers": "technews.tokenizer.v1"}}})


def test_every_occurrence_is_found_with_all_its_keys_overlaps_included():
    table = NameTable([(("Galaxy",), "line"), (("Galaxy", "S24"), "Galaxy S24"), (("S24",), "S24")])
    doc = blank_technews()("Das Galaxy S24 und das Galaxy")
    assert sorted(table(doc)) == [("Galaxy S24", 1, 3), ("S24", 2, 3), ("line", 1, 2), ("line", 5, 6)]


def test_names_are_matched_case_sensitively_and_excluded_forms_are_left_out():
    table = name_table([("Drei", "Drei"), ("Apple", "Apple"), ("", "leer")], {}, frozenset({"Drei"}))
    doc = blank_technews()("Drei Apple-Fans und apple")
    assert table(doc) == [("Apple", 1, 2)]


def test_only_names_not_split_at_spaces_keep_their_tokens():
    tokenizer = blank_technews().tokenizer
    split = split_names(tokenizer, ["Coca-Cola", "Galaxy S24 Ultra", "E.ON", "Ja! Natürlich"])
    assert split == {"Coca-Cola": ("Coca", "-", "Cola"), "Ja! Natürlich": ("Ja", "!", "Natürlich")}
    assert tokens_of("Coca-Cola", split) == ("Coca", "-", "Cola")
    assert tokens_of("Galaxy S24 Ultra", split) == ("Galaxy", "S24", "Ultra")


def test_a_saved_pipeline_keeps_the_tokens_of_its_names_and_finds_the_same(tmp_path):
    nlp = tiny_pipeline("technews_entities")
    text = "Xiaomi arbeitet beim Xiaomi 12 Ultra mit Leica zusammen, heißt es in Wien."
    nlp.to_disk(tmp_path)
    assert (tmp_path / "technews_entities" / NAME_TOKENS_FILE).is_file()
    loaded = spacy.load(tmp_path)
    assert loaded.get_pipe("technews_entities").knowledge.name_tokens is not None
    assert [(e.text, e.label_) for e in loaded(text).ents] == [(e.text, e.label_) for e in nlp(text).ents]


def test_knowledge_in_bytes_keeps_its_name_tokens():
    knowledge = Knowledge.of().with_name_tokens(blank_technews().tokenizer)
    assert knowledge.name_tokens
    assert Knowledge.from_bytes(knowledge.to_bytes()).name_tokens == knowledge.name_tokens
