"""technews_relation_scorer in the shipped pipeline: what it adds, what it keeps out."""

from pathlib import Path

import pytest
import spacy

import technews
from technews.pipeline.doc_index import DocIndex
from technews.pipeline.relation_scorer import RELATIONS, _probabilities
from technews.pipeline.relations import conjuncts
from tests.conftest import article_relations as relations

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SCORER = "technews_relation_scorer"
# An invented maker and product, so that only the sentence can tell.
NEW_PRODUCT = "Der Hersteller Brennwald stellt das Norda X3 Pro vor. Es kostet 499 Euro."


def test_a_maker_named_through_a_pronoun(nlp):
    # `Entworfen hat Google den Chip selbst, gefertigt wird er jedoch von Samsung.`
    text = (EXAMPLES / "pixel_tensor.txt").read_text(encoding="utf-8")
    assert ("Tensor G3", "made_by", "Samsung", "current") in relations(nlp, text)


def test_the_model_reads_a_maker_the_rules_miss(nlp):
    # No trigger, neither name in the knowledge base: the model reads `stellt das ... vor`.
    relation = ("Norda X3 Pro", "made_by", "Brennwald", "current")
    with nlp.select_pipes(disable=[SCORER]):
        assert relation not in relations(nlp, NEW_PRODUCT)
    assert relation in relations(nlp, NEW_PRODUCT)
    threshold = nlp.get_pipe(SCORER).cfg["threshold"]
    added = [r for r in nlp(NEW_PRODUCT)._.relations if r.rule == "model"]
    assert added and all(r.score >= threshold for r in added)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A verb at the end of the clause, no description of the buyer: the rules see nothing.
        ("Apple hat Beats übernommen.", {("Beats", "owned_by", "Apple", "current")}),
        ("Google hat Fitbit gekauft.", {("Fitbit", "owned_by", "Google", "current")}),
        # `soll` about the future of a stated fact is no hearsay.
        (
            "Audi gehört zu Volkswagen, das soll sich nicht ändern.",
            {("Audi", "owned_by", "Volkswagen", "current")},
        ),
        # A minority stake is no ownership.
        ("Sony hält zehn Prozent an Kadokawa.", set()),
    ],
)
def test_what_a_new_user_tries_first(nlp, text, expected):
    assert relations(nlp, text) == expected


def test_the_status_is_the_models_unless_the_config_says_otherwise(nlp):
    # `lief ... aus` is no cue of the rules' lexicon; the model learnt it from the corpus.
    text = "Die Kooperation zwischen Huawei und Leica lief 2022 aus."
    by_rules = spacy.load(
        technews.default_model_path(), config={"components": {SCORER: {"learnt_status": False}}}
    )
    assert relations(nlp, text) == {("Huawei", "partner_of", "Leica", "past")}
    assert relations(by_rules, text) == {("Huawei", "partner_of", "Leica", "current")}


def test_a_cue_the_rules_read_stands_over_the_learnt_status(nlp):
    # `Bis 2020` in the trigger's clause: past, whatever the status head reads.
    text = "Bis 2020 arbeitete Apple bei den Prozessoren mit Intel zusammen."
    with nlp.select_pipes(disable=[SCORER]):
        assert relations(nlp, text) == {("Apple", "partner_of", "Intel", "past")}
    assert relations(nlp, text) == {("Apple", "partner_of", "Intel", "past")}


def test_both_orders_of_a_pair_get_one_partner_probability(nlp):
    scorer = nlp.get_pipe(SCORER)
    with nlp.select_pipes(disable=[SCORER]):
        doc = nlp("Xiaomi und Leica stellten gemeinsam ein Kamerasystem vor.")
    article = scorer._article(doc)
    scores, _ = scorer._scores([article], is_train=False)
    rows = _probabilities(article.candidates, scores)
    partner = [row[RELATIONS.index("partner_of")] for row in rows]
    assert len(partner) == 2 and partner[0] == pytest.approx(partner[1])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Zur Schwarz Gruppe gehören Lidl, Kaufland und PreZero.",
            {(brand, "owned_by", "Schwarz Gruppe", "current") for brand in ("Lidl", "Kaufland", "PreZero")},
        ),
        # Brands listed as one owner's are siblings, not partners.
        (
            "Porsche, Bentley und Lamborghini gehören zu Volkswagen.",
            {(brand, "owned_by", "Volkswagen", "current") for brand in ("Porsche", "Bentley", "Lamborghini")},
        ),
    ],
)
def test_every_member_of_a_list_relates(nlp, text, expected):
    assert relations(nlp, text) == expected


def test_alternatives_are_no_list(nlp):
    doc = nlp("Apple oder Google könnten Siemens, Bosch und Infineon herausfordern.")
    lists = conjuncts(DocIndex.of(doc), nlp.get_pipe(SCORER).lexicon.list_endings)
    assert sorted({tuple(e.text for e in members) for members in lists.values()}) == [
        ("Siemens", "Bosch", "Infineon")
    ]


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
        # Called off later in the clause.
        "Die geplante Übernahme von Kaufland durch Rewe ist geplatzt.",
        "Die Verhandlungen zwischen Siemens und Alstom über eine Kooperation sind gescheitert.",
        # Authorities settle cases, rivals compete.
        "Volkswagen verhandelt mit der US-Umweltbehörde EPA über eine Strafe.",
        "Eine Vereinbarung zwischen General Motors und der NHTSA sieht eine Strafe vor.",
        "Nach Verhandlungen mit Labels startet Apple seinen Spotify-Konkurrenten.",
    ],
)
def test_hard_negatives_give_no_partner_or_owner(nlp, text):
    assert not {r for r in relations(nlp, text) if r[1] in ("partner_of", "owned_by")}
