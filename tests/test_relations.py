"""technews_relations and the article-level merge, on the tiny knowledge base."""

import pytest

from technews.kb import load_knowledge_base
from technews.output import doc_to_record
from tests.conftest import TINY_KB, tiny_pipeline
from tests.conftest import article_relations as relations


@pytest.fixture(scope="module")
def nlp():
    return tiny_pipeline(
        "technews_entities", "technews_canonical", "technews_references", "technews_relations"
    )


def test_made_by_when_the_maker_is_named(nlp):
    assert relations(nlp, "Huawei zeigt das Mate 40 Pro.") == {
        ("Mate 40 Pro", "made_by", "Huawei", "current")
    }


def test_made_by_follows_the_parent_company(nlp):
    assert relations(nlp, "Xiaomi ist bekannt. Das Redmi Note 11 ist günstig.") == {
        ("Redmi Note 11", "made_by", "Xiaomi", "current")
    }


def test_made_by_from_the_brand_in_the_name(nlp):
    assert relations(nlp, "Das Samsung Galaxy S24 ist da.") == {
        ("Galaxy S24", "made_by", "Samsung", "current")
    }


def test_no_made_by_from_world_knowledge_alone(nlp):
    assert relations(nlp, "Das Mate 40 Pro zeigte im Test, was es kann.") == set()


def test_made_by_from_a_genitive_for_an_unknown_product(nlp):
    doc = nlp.make_doc("Googles Nest Hub ist neu.")
    from spacy.tokens import Span

    doc.ents = [Span(doc, 1, 3, label="PRODUCT")]
    for _, component in nlp.pipeline:
        doc = component(doc)
    assert {(r.head_name, r.tail_name) for r in doc._.relations} == {("Nest Hub", "Google")}


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Xiaomi arbeitet mit Leica zusammen.", "current"),
        ("Huawei hatte in der Vergangenheit eine Kooperation mit Leica.", "past"),
        ("Xiaomi will künftig mit Leica kooperieren.", "planned"),
        ("Gerüchten zufolge gibt es eine Partnerschaft von Xiaomi und Leica.", "rumored"),
        ("Bis 2020 arbeitete Apple mit Intel zusammen, inzwischen nicht mehr.", "past"),
    ],
)
def test_partner_of_status(nlp, text, status):
    ((_head, relation, _tail, found),) = relations(nlp, text)
    assert relation == "partner_of" and found == status


def test_a_rival_is_no_partner(nlp):
    text = "In Kooperation mit Leica baut Xiaomi einen Huawei-Konkurrenten."
    assert relations(nlp, text) == {("Leica", "partner_of", "Xiaomi", "current")}


def test_a_past_tense_beside_an_apposition_is_not_the_partnership_s(nlp):
    text = "Leica, seit Jahren Partner von Xiaomi, hatte das schon angedeutet."
    assert relations(nlp, text) == {("Leica", "partner_of", "Xiaomi", "current")}


def test_confirmation_outweighs_earlier_rumours(nlp):
    text = (
        "Es gab Gerüchte um eine Zusammenarbeit von Leica und Xiaomi. "
        "Jetzt haben beide Firmen die Kooperation offiziell bestätigt."
    )
    assert relations(nlp, text) == {("Leica", "partner_of", "Xiaomi", "current")}


def test_partner_across_sentences_through_a_description(nlp):
    text = (
        "Leica baut Kameras. Denn auch Huawei hatte in der Vergangenheit eine "
        "Kooperation mit dem deutschen Hersteller am Laufen."
    )
    assert relations(nlp, text) == {("Huawei", "partner_of", "Leica", "past")}


def test_partner_introduced_in_the_next_sentence(nlp):
    text = (
        "Übrigens setzt auch Oppo bei seiner Kamera auf einen großen Namen. "
        "Hier weist ein Schriftzug auf die schwedische Firma Hasselblad hin."
    )
    assert relations(nlp, text) == {("Hasselblad", "partner_of", "Oppo", "current")}


@pytest.mark.parametrize(
    "text",
    [
        "Beats ist eine Tochter von Apple.",
        "Apple übernimmt Beats.",
        "Seit 2014 gehört Beats zu Apple.",
        "Die Apple-Tochter Beats legt nach.",
    ],
)
def test_owned_by_in_either_word_order(nlp, text):
    assert relations(nlp, text) == {("Beats", "owned_by", "Apple", "current")}


def test_owned_by_from_a_sale(nlp):
    text = "Nach dem Verkauf von Beats an Apple stieg der Umsatz."
    assert relations(nlp, text) == {("Beats", "owned_by", "Apple", "current")}


def test_listed_brands_belong_to_the_organization_named_beside_them(nlp):
    text = (
        "Der Autokonzern Stellantis ruft Wagen zurück. Betroffen sind Modelle der Marken "
        "Opel, Peugeot und Citroën, teilte der Konzern mit."
    )
    assert relations(nlp, text) == {
        (brand, "owned_by", "Stellantis", "current") for brand in ("Opel", "Peugeot", "Citroën")
    }


def test_listed_owners_own_the_organization_before_them(nlp):
    assert relations(nlp, "Die Redmi-Eigentümer Xiaomi und Leica sind zufrieden.") == {
        ("Redmi", "owned_by", "Xiaomi", "current"),
        ("Redmi", "owned_by", "Leica", "current"),
    }


def test_former_owners_of_the_organization_the_article_is_about(nlp):
    text = (
        "Die Handymarke Honor wächst. Honor verkauft mehr Geräte als je zuvor. "
        "Das freut auch den Alteigentümer Huawei."
    )
    assert relations(nlp, text) == {("Honor", "owned_by", "Huawei", "past")}


def test_a_chain_named_by_its_shops_belongs_to_the_one_organization_beside_it(nlp):
    assert relations(nlp, "Der Händler Rewe bietet das in Billa- und Merkur-Märkten an.") == {
        ("Billa", "owned_by", "Rewe", "current"),
        ("Merkur", "owned_by", "Rewe", "current"),
    }
    assert relations(nlp, "Xiaomi und Huawei verkaufen auch in Hofer-Filialen.") == set()


@pytest.mark.parametrize(
    "text",
    [
        "Die Firma Leica ist also eher das Apple der Kamera-Welt.",
        "Xiaomi hat keine Kooperation mit Leica.",
        "Leica hat sich wohl für einen anderen Handy-Partner als Huawei entschieden.",
        "Xiaomi und Huawei stellen neue Geräte vor.",
        # An authority settles a case: no partner.
        "Google führt seit Monaten Verhandlungen mit der EU.",
    ],
)
def test_hard_negatives_give_no_relation(nlp, text):
    assert relations(nlp, text) == set()


def with_products(nlp, text, products):
    """Relations of ``text`` as if a trained NER had marked the token spans ``products``."""
    from spacy.tokens import Span

    doc = nlp.make_doc(text)
    doc.ents = [Span(doc, start, end, label="PRODUCT") for start, end in products]
    for _, component in nlp.pipeline:
        doc = component(doc)
    return {(r.head_name, r.relation, r.tail_name) for r in doc._.relations}


def test_made_by_from_a_participle_and_von(nlp):
    text = "Das Mate 40 Pro wird vom Auftragsfertiger Foxconn gebaut."
    assert ("Mate 40 Pro", "made_by", "Foxconn", "current") in relations(nlp, text)
    # A pronoun in the participle's clause stands for the product before it.
    text = "Entworfen hat Huawei das Mate 40 Pro, gebaut wird es vom Auftragsfertiger Foxconn."
    assert ("Mate 40 Pro", "made_by", "Foxconn", "current") in relations(nlp, text)
    # Else only the product of the participle's clause.
    text = "Das Mate 40 Pro ist beliebt, die Hülle wird von Leica gefertigt."
    assert ("Mate 40 Pro", "made_by", "Leica", "current") not in relations(nlp, text)


def test_made_by_the_maker_the_article_is_about(nlp):
    text = "Der Kamerahersteller Canon zeigt Neues. So hat Canon nun die G7 X und das iPhone im Blick."
    # `G7 X` is unknown, so Canon's; the iPhone's maker is known and not named.
    assert with_products(nlp, text, [(11, 13), (15, 16)]) == {("G7 X", "made_by", "Canon")}
    # Not when another organization is named as often.
    text = "Der Kamerahersteller Canon zeigt die G7 X neu. Canon und Leica werben, Leica mit Plakaten."
    assert with_products(nlp, text, [(5, 7)]) == set()


def test_threshold_drops_weaker_relations():
    strict = tiny_pipeline("technews_entities", "technews_canonical", "technews_references")
    relations = strict.add_pipe("technews_relations", config={"threshold": 0.9})
    relations.initialize(knowledge_base=load_knowledge_base(TINY_KB))
    doc = strict("Xiaomi arbeitet mit Leica zusammen. Huawei zeigt das Mate 40 Pro.")
    assert {r.relation for r in doc._.relations} == {"made_by"}


def test_mention_level_relations_keep_spans_scores_and_evidence(nlp):
    text = "Huawei zeigt das Mate 40 Pro. Später zeigt Huawei das Mate 40 Pro wieder."
    doc = nlp(text)
    assert len(doc._.relations) == 2
    for relation in doc._.relations:
        assert relation.head.text == "Mate 40 Pro" and relation.tail.text == "Huawei"
        assert 0 < relation.score <= 1
        start, end = relation.evidence
        assert relation.head.text in text[start:end]
    assert len(doc_to_record(doc)["relations"]) == 1
