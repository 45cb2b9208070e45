import pytest

from technews.errors import InvalidInputError
from technews.matching import normalize_name
from technews.scoring import score

GOLD = {
    "id": "a",
    "text": "Apples iPhone und Xiaomi mit Leica.",
    "entities": [
        {"start": 0, "end": 6, "label": "ORG", "text": "Apples", "canonical": "Apple"},
        {"start": 7, "end": 13, "label": "PRODUCT", "text": "iPhone", "canonical": "iPhone"},
        {"start": 18, "end": 24, "label": "ORG", "text": "Xiaomi", "canonical": "Xiaomi"},
        {"start": 29, "end": 34, "label": "ORG", "text": "Leica", "canonical": "Leica"},
    ],
    "relations": [
        {"head": "iPhone", "relation": "made_by", "tail": "Apple", "status": "current"},
        {"head": "Xiaomi", "relation": "partner_of", "tail": "Leica", "status": "current"},
    ],
}


def test_a_perfect_prediction_scores_one():
    scores = score([GOLD], [GOLD]).as_dict()
    assert scores["entities_micro"]["f1"] == 1.0
    assert scores["relations_micro"]["f1"] == 1.0
    assert scores["canonical_accuracy"] == scores["status_accuracy"] == 1.0


def test_entity_errors_count_per_label():
    predicted = {
        **GOLD,
        "entities": [
            {**GOLD["entities"][0], "canonical": "Apples"},  # right span, wrong canonical
            {**GOLD["entities"][1], "end": 12},  # wrong span
            GOLD["entities"][2],
            GOLD["entities"][3],
        ],
    }
    scores = score([GOLD], [predicted]).as_dict()
    assert scores["entities"]["ORG"]["f1"] == 1.0
    assert scores["entities"]["PRODUCT"]["precision"] == 0.0
    assert scores["entities"]["PRODUCT"]["recall"] == 0.0
    assert scores["org_product"]["tp"] == 3
    assert scores["canonical_accuracy"] == pytest.approx(2 / 3)


def test_relation_names_match_by_mention_text_case_genitive_and_direction():
    predicted = {
        **GOLD,
        "relations": [
            {"head": "IPHONE", "relation": "made_by", "tail": "Apples", "status": "current"},
            {"head": "Leica", "relation": "partner_of", "tail": "Xiaomi", "status": "past"},
        ],
    }
    scores = score([GOLD], [predicted]).as_dict()
    assert scores["relations_micro"]["f1"] == 1.0
    assert scores["status_accuracy"] == 0.5


def test_made_by_is_directed():
    predicted = {
        **GOLD,
        "relations": [{"head": "Apple", "relation": "made_by", "tail": "iPhone", "status": "current"}],
    }
    scores = score([GOLD], [predicted]).as_dict()
    assert scores["relations"]["made_by"]["tp"] == 0
    assert scores["relations"]["made_by"]["fp"] == 1


def test_normalize_name():
    assert normalize_name("  Apples ") == normalize_name("apple") == "apple"
    assert normalize_name("Xiaomi  12\nUltra") == "xiaomi 12 ultra"


def test_articles_pair_by_id_and_missing_ones_are_an_error():
    other = {**GOLD, "id": "b"}
    assert score([GOLD, other], [other, GOLD]).as_dict()["entities_micro"]["f1"] == 1.0
    with pytest.raises(InvalidInputError, match="No prediction"):
        score([GOLD, other], [GOLD])


def test_gold_without_text_is_joined_with_the_news_by_id(tmp_path):
    from technews.scoring import attach_texts

    (tmp_path / "news.jsonl").write_text('{"id": "a", "text": "Apples iPhone"}\n', encoding="utf-8")
    stored = {key: value for key, value in GOLD.items() if key != "text"}
    assert attach_texts([stored], tmp_path)[0]["text"] == "Apples iPhone"
    with pytest.raises(InvalidInputError, match="No text"):
        attach_texts([{**stored, "id": "b"}], tmp_path)
