"""technews_relation_scorer in the shipped pipeline: what it adds, what it keeps out."""

from pathlib import Path

import pytest
import spacy

import technews
from tests.conftest import article_relations as relations

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SCORER = "technews_relation_scorer"
# An invented maker and product, so that only the sentence can tell.
NEW_PRODUCT = "Der Hersteller Brennwald stellt das Norda X3 Pro vor. Es kostet 499 Euro."


def test_a_maker_named_through_a_pronoun(nlp):
    # `Entworfen hat Google den Chip selbst, gefertigt wird er jedoch von Samsung.`
    text = (EXAMPLES / "pixel_tensor.txt").read_text(encoding="utf-8")
    assert ("Tensor G3", "made_by", "Samsung", "current") in relations(nlp, text)


def test_the_model_reads_a_maker_the_rules_miss():
    # No trigger, neither name in the knowledge base: the model reads `stellt das ... vor`.
    # The shipped threshold (0.9999, chosen on the development set for an overconfident
    # scorer) keeps out even this; at 0.99 the model adds it.
    lenient = spacy.load(technews.default_model_path(), config={"components": {SCORER: {"threshold": 0.99}}})
    relation = ("Norda X3 Pro", "made_by", "Brennwald", "current")
    with lenient.select_pipes(disable=[SCORER]):
        assert relation not in relations(lenient, NEW_PRODUCT)
    assert relation in relations(lenient, NEW_PRODUCT)
    added = [r for r in lenient(NEW_PRODUCT)._.relations if r.rule == "model"]
    assert added and all(r.score >= 0.99 for r in added)


def test_the_config_sets_the_threshold_of_a_saved_pipeline():
    strict = spacy.load(technews.default_model_path(), config={"components": {SCORER: {"threshold": 1.0}}})
    assert strict.get_pipe(SCORER).cfg["threshold"] == 1.0
    assert not [r for r in strict(NEW_PRODUCT)._.relations if r.rule == "model"]


def test_a_partner_named_by_a_description_in_another_sentence(nlp):
    text = (
        "Leica ist ein deutscher Kamerahersteller. Huawei hatte in der Vergangenheit "
        "eine Kooperation mit dem deutschen Hersteller."
    )
    assert ("Huawei", "partner_of", "Leica", "past") in relations(nlp, text)


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Xiaomi arbeitet bei seinen Kameras mit Leica zusammen.", "current"),
        ("Bis 2020 arbeitete Apple bei den Prozessoren mit Intel zusammen.", "past"),
        ("Ab dem kommenden Jahr soll Broadcom die Funkchips an Apple liefern.", "planned"),
        ("Laut Gerüchten verhandelt Google mit TSMC über einen Liefervertrag.", "rumored"),
    ],
)
def test_each_status(nlp, text, status):
    assert [s for _, rel, _, s in relations(nlp, text) if rel == "partner_of"] == [status]


@pytest.mark.parametrize(
    "text",
    [
        # A comparison.
        "Leica ist das Apple der Kamera-Welt.",
        # Competitors side by side.
        "Samsung und Apple kämpfen um Marktanteile bei Smartphones.",
        "Künftig sollen Nokia und Ericsson die Lücke füllen.",
        # A product merely mentioned near a company.
        "Auf der Messe zeigte Sony neue Fernseher, im Publikum filmten viele mit dem Galaxy S24.",
        # An analyst's view.
        "Analyst Ming-Chi Kuo glaubt, dass Samsung im Chipgeschäft gegen TSMC verliert.",
        # Negation and denial.
        "Es gibt keine Kooperation zwischen Huawei und Leica mehr.",
        "Xiaomi dementiert eine Partnerschaft mit Zeiss.",
        # Authorities settle cases, rivals compete.
        "Volkswagen verhandelt mit der US-Umweltbehörde EPA über eine Strafe.",
        "Eine Vereinbarung zwischen General Motors und der NHTSA sieht eine Strafe vor.",
        "Nach Verhandlungen mit Labels startet Apple seinen Spotify-Konkurrenten.",
    ],
)
def test_hard_negatives_give_no_partner_or_owner(nlp, text):
    assert not {r for r in relations(nlp, text) if r[1] in ("partner_of", "owned_by")}
