"""technews_entities with technews_canonical, on the tiny knowledge base."""

import pytest

from tests.conftest import tiny_pipeline


@pytest.fixture(scope="module")
def nlp():
    return tiny_pipeline("technews_entities", "technews_canonical")


def ents(nlp, text):
    return [(e.text, e.label_, e._.canonical) for e in nlp(text).ents]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Das neue Galaxy S24 Ultra ist da.", ("Galaxy S24 Ultra", "PRODUCT", "Galaxy S24 Ultra")),
        ("Das Samsung Galaxy S24+ ist da.", ("Samsung Galaxy S24+", "PRODUCT", "Galaxy S24+")),
        ("Das Xiaomi 12 Ultra kommt im Juli.", ("Xiaomi 12 Ultra", "PRODUCT", "Xiaomi 12 Ultra")),
        ("Im Redmi Note 11 Test zeigt sich das.", ("Redmi Note 11", "PRODUCT", "Redmi Note 11")),
        ("Das Betriebssystem iOS 17.2 erscheint.", ("iOS 17.2", "PRODUCT", "iOS 17.2")),
        ("Beim Find X5 Pro steht es hinten.", ("Find X5 Pro", "PRODUCT", "Find X5 Pro")),
        ("Auf Android 5.x Lollipop läuft es.", ("Android 5.x Lollipop", "PRODUCT", "Android 5.x Lollipop")),
        ("Android Jelly Bean ist alt.", ("Android Jelly Bean", "PRODUCT", "Android Jelly Bean")),
        ("Nun Windows 10 Build 10565.", ("Windows 10 Build 10565", "PRODUCT", "Windows 10 Build 10565")),
        # The tokenizer splits `3G` as a number and a unit; the model number keeps both.
        ("Das iPhone 3G war langsam.", ("iPhone 3G", "PRODUCT", "iPhone 3G")),
        # A service word after a known product names a service of it.
        ("Wer WhatsApp Premium nutzt, zahlt.", ("WhatsApp Premium", "PRODUCT", "WhatsApp Premium")),
    ],
)
def test_product_grammar(nlp, text, expected):
    assert ents(nlp, text) == [expected]


def test_a_line_that_needs_a_model_number_is_no_product_alone(nlp):
    assert ents(nlp, "Wir trinken Mate und sagen: Find it.") == []


def test_model_number_ending_a_sentence(nlp):
    doc = nlp("Apple zeigt das iPhone 15. Es kommt am 15. Juli.")
    assert [e.text for e in doc.ents] == ["Apple", "iPhone 15"]
    assert [s.text for s in doc.sents] == ["Apple zeigt das iPhone 15.", "Es kommt am 15. Juli."]


def test_elided_model_takes_the_full_name(nlp):
    assert ents(nlp, "Das Pixel 8 und 8a sind da.") == [
        ("Pixel 8", "PRODUCT", "Pixel 8"),
        ("8a", "PRODUCT", "Pixel 8a"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Eine Leica-Kamera ist teuer.", [("Leica", "ORG", "Leica")]),
        ("Die iPhone-Verkaufszahlen sinken.", [("iPhone", "PRODUCT", "iPhone")]),
        ("Die harten US-Restriktionen gelten.", [("US", "LOC", "US")]),
        ("Es kostet 100 US-Dollar.", []),
        ("Neue EU-Regeln gelten.", [("EU", "ORG", "EU")]),
        ("Viele Huawei-Smartphones.", [("Huawei", "ORG", "Huawei")]),
    ],
)
def test_names_in_hyphenated_compounds(nlp, text, expected):
    assert ents(nlp, text) == expected


def test_genitive_forms_have_their_base_name(nlp):
    assert ents(nlp, "Xiaomis Erfolg und Googles Pixel 6.") == [
        ("Xiaomis", "ORG", "Xiaomi"),
        ("Googles", "ORG", "Google"),
        ("Pixel 6", "PRODUCT", "Pixel 6"),
    ]


def test_alias_has_the_short_canonical_name(nlp):
    assert ents(nlp, "Die Leica Camera AG meldet Zahlen.") == [("Leica Camera AG", "ORG", "Leica")]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Facebook kündigte neue Regeln an.", "ORG"),
        ("Sie posten alles auf Facebook.", "PRODUCT"),
        ("Viele WhatsApp-Nutzer sind verärgert.", "PRODUCT"),
        ("Er will WhatsApp nicht mehr installieren.", "PRODUCT"),
        ("WhatsApp wird von Datenschützern kritisiert.", "ORG"),
    ],
)
def test_company_or_product_by_role(nlp, text, label):
    assert [e.label_ for e in nlp(text).ents] == [label]


@pytest.mark.parametrize(
    "text",
    [
        "Auf der IFA zeigt man 5G und LTE.",
        "Die Ultra-Reihe ist beliebt.",
        "Condor fliegt nach Mallorca.",
        "Das Essen ist kalt.",
    ],
)
def test_excluded_and_doubtful_names_are_no_entities(nlp, text):
    assert ents(nlp, text) == []


def test_an_ambiguous_organization_is_found_by_its_distinctive_forms(nlp):
    assert ents(nlp, "Die Post kommt heute nicht.") == []
    assert ents(nlp, "Die Österreichische Post erhöht das Porto.") == [
        ("Österreichische Post", "ORG", "Die Post")
    ]
    assert ents(nlp, "A1 senkt die Preise.") == [("A1", "ORG", "A1")]


def test_an_ambiguous_product_is_found_by_its_distinctive_forms(nlp):
    assert ents(nlp, "Die besten Teams gewinnen.") == []
    assert ents(nlp, "Wer Microsoft Teams nutzt, spart.") == [("Microsoft Teams", "PRODUCT", "Teams")]


def test_doubtful_place_after_a_preposition(nlp):
    assert ents(nlp, "Die Messe findet in Essen statt.") == [("Essen", "LOC", "Essen")]


def test_people_by_name_cue_and_surname(nlp):
    assert ents(nlp, "Apple-Chef Tim Cook lobt Sprecherin Anna Berger. Cook lacht.") == [
        ("Apple", "ORG", "Apple"),
        ("Tim Cook", "PER", "Tim Cook"),
        ("Anna Berger", "PER", "Anna Berger"),
        ("Cook", "PER", "Tim Cook"),
    ]


def test_a_title_introduces_a_surname_and_its_genitive(nlp):
    assert ents(nlp, "Finanzminister Stubb erhält das Mandat. Stubbs Partei stimmt zu.") == [
        ("Stubb", "PER", "Stubb"),
        ("Stubbs", "PER", "Stubb"),
    ]


def test_a_hyphenated_first_name_after_a_title(nlp):
    assert ents(nlp, "Der Parteichef Heinz-Christian Strache spricht. Das sagt Strache.") == [
        ("Heinz-Christian Strache", "PER", "Heinz-Christian Strache"),
        ("Strache", "PER", "Heinz-Christian Strache"),
    ]


def test_a_medium_named_after_its_cue_and_again_without(nlp):
    assert ents(nlp, "Das sagte er der Zeitung Le Monde. Laut Le Monde ist es neu.") == [
        ("Le Monde", "ORG", "Le Monde"),
        ("Le Monde", "ORG", "Le Monde"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Das Start-up Robo baut Roboter.", [("Robo", "ORG", "Robo")]),
        (
            "Der Apple-Zulieferer Japan Display verliert.",
            [("Apple", "ORG", "Apple"), ("Japan Display", "ORG", "Japan Display")],
        ),
        ("Die Firma Print2Taste druckt Essen.", [("Print2Taste", "ORG", "Print2Taste")]),
        # A place or a generic word may be part of the name a cue introduces.
        ("Der Zulieferer Wien Display wächst.", [("Wien Display", "ORG", "Wien Display")]),
        ("Die Firma Display wächst.", []),
        # An everyday noun after the cue is an object, not a name.
        ("Heuer machte das Unternehmen Umsätze wie nie.", []),
        ("Wenn ein Start-up Investoren findet, wächst es.", []),
        ("Bisher hat das Unternehmen Förderungen erhalten.", []),
        # A list of names after one cue.
        (
            "Betroffen sind die Marken Opel, Peugeot und Citroën.",
            [("Opel", "ORG", "Opel"), ("Peugeot", "ORG", "Peugeot"), ("Citroën", "ORG", "Citroën")],
        ),
    ],
)
def test_a_name_after_a_noun_for_an_organization(nlp, text, expected):
    assert ents(nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Das Raumschiffspiel Star Fox Zero erscheint.", [("Star Fox Zero", "PRODUCT", "Star Fox Zero")]),
        ("In der Photos-App gibt es Neues.", [("Photos", "PRODUCT", "Photos")]),
        # A known company that is also a platform is the platform after such a noun.
        ("Er schrieb im Netzwerk Facebook: Nein.", [("Facebook", "PRODUCT", "Facebook")]),
        # A variant word is no name (rule 8), an upper-case abbreviation no app.
        ("Die Ultra-App und die PC-App sind da.", []),
    ],
)
def test_a_name_after_a_noun_for_a_product(nlp, text, expected):
    assert ents(nlp, text) == expected


def with_model_entities(nlp, text, marked):
    """Run the pipeline on ``text`` as if a trained NER had marked the token spans ``marked``."""
    from spacy.tokens import Span

    doc = nlp.make_doc(text)
    doc.ents = [Span(doc, start, end, label) for start, end, label in marked]
    for _, component in nlp.pipeline:
        doc = component(doc)
    return [(e.text, e.label_, e._.canonical) for e in doc.ents]


@pytest.mark.parametrize(
    ("text", "marked", "expected"),
    [
        # The role noun before the name is no part of it.
        ("Das schreibt Bildungsökonom Wößmann.", [(2, 4, "PER")], [("Wößmann", "PER", "Wößmann")]),
        # A preposition opening a sentence is no first name.
        ("Gemäß Spaltungsbilanz sinkt sie.", [(0, 2, "PER")], []),
        # A lone capitalised word is no person without a cue.
        ("Das sagt Ekathimerini.", [(2, 3, "PER")], []),
        # A description is no name, compound or not.
        ("Der Bildschirmhersteller droht.", [(1, 2, "ORG")], []),
        # An everyday noun is no name, whatever the model says.
        ("Das ist ein Anfang.", [(3, 4, "ORG")], []),
    ],
)
def test_what_is_kept_of_model_entities(nlp, text, marked, expected):
    assert with_model_entities(nlp, text, marked) == expected


def test_a_name_read_from_a_cue_beats_a_shorter_model_entity_elsewhere(nlp):
    text = "Das Raumschiffspiel Star Fox Zero kommt. Star Fox Zero ist neu."
    found = with_model_entities(nlp, text, [(7, 9, "PER")])  # the model's `Fox Zero`
    assert found == [("Star Fox Zero", "PRODUCT", "Star Fox Zero")] * 2


def test_entities_of_an_earlier_component_are_kept_where_no_rule_matches(nlp):
    doc = nlp.make_doc("Die Firma Nothing zeigt das Galaxy S24.")
    from spacy.tokens import Span

    doc.ents = [Span(doc, 2, 3, label="ORG")]
    for _, component in nlp.pipeline:
        doc = component(doc)
    assert [(e.text, e.label_, e._.canonical) for e in doc.ents] == [
        ("Nothing", "ORG", "Nothing"),
        ("Galaxy S24", "PRODUCT", "Galaxy S24"),
    ]


def test_canonical_names_are_unified_within_the_article(nlp):
    doc = nlp.make_doc("Harald Mahrer lobt Nissan. Mahrer sagt, Nissans Autos sind gut.")
    from spacy.tokens import Span

    # As a trained NER would mark them: names no knowledge base lists.
    doc.ents = [
        Span(doc, 0, 2, "PER"),
        Span(doc, 3, 4, "ORG"),
        Span(doc, 5, 6, "PER"),
        Span(doc, 8, 9, "ORG"),
    ]
    for _, component in nlp.pipeline:
        doc = component(doc)
    assert [(e.text, e._.canonical) for e in doc.ents] == [
        ("Harald Mahrer", "Harald Mahrer"),
        ("Nissan", "Nissan"),
        ("Mahrer", "Harald Mahrer"),
        ("Nissans", "Nissan"),
    ]


def test_a_year_after_a_maker_is_no_model_number(nlp):
    assert ents(nlp, "Seit Samsung 2018 den Markt anführt, wächst es.") == [("Samsung", "ORG", "Samsung")]


def test_a_release_named_by_version_or_codename_takes_its_full_name(nlp):
    text = "Google zeigt Android 6.0 Marshmallow. Marshmallow und Android 6.0 kommen im Herbst."
    # A codename alone is the trained model's to find; here it is marked as the model would.
    found = with_model_entities(nlp, text, [(6, 7, "PRODUCT")])
    assert [name for _, _, name in found[1:]] == ["Android 6.0 Marshmallow"] * 3


def test_a_line_keeps_its_own_name_beside_a_release(nlp):
    assert ents(nlp, "Android Marshmallow ist neu. Android ist alt.")[1] == ("Android", "PRODUCT", "Android")


def test_truncated_compounds(nlp):
    assert ents(nlp, "In Facebook- und WhatsApp-Einträgen steht es.") == [
        ("Facebook", "PRODUCT", "Facebook"),
        ("WhatsApp", "PRODUCT", "WhatsApp"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A chain named by its shops, also in a truncated coordination.
        ("Es gibt das bei Hofer- und Lidl-Filialen.", [("Hofer", "ORG", "Hofer"), ("Lidl", "ORG", "Lidl")]),
        ("Neu in allen Interspar-Märkten.", [("Interspar", "ORG", "Interspar")]),
        # A group named with a hyphen is one name.
        ("Der Händler gehört der Huber-Gruppe.", [("Huber-Gruppe", "ORG", "Huber-Gruppe")]),
        # A party: a capitalised adjective before a party noun, its base form the canonical name.
        (
            "Sie koaliert mit der Liberalen Volkspartei.",
            [("Liberalen Volkspartei", "ORG", "Liberale Volkspartei")],
        ),
        # Generic words before such nouns are no names; a sentence's first word is no adjective.
        ("Es gibt das in Elektro- und Super-Märkten.", []),
        ("Große Volksparteien verlieren.", []),
    ],
)
def test_organizations_named_in_compounds(nlp, text, expected):
    assert ents(nlp, text) == expected


def test_the_compound_walk_looks_back_over_a_bounded_number_of_parts(nlp):
    """A hyphen chain (`Apple-Apple-...`) must not make each token walk back to the chain's start."""
    from technews.pipeline.entities import MAX_COMPOUND_PARTS, _compound_start

    chain = nlp.make_doc("Der " + "Apple-" * 2000 + "Zulieferer")
    last = len(chain) - 1
    assert last - _compound_start(chain, last) == 2 * (MAX_COMPOUND_PARTS - 1)
    compound = nlp.make_doc("Der E-Mail-Anbieter")
    assert _compound_start(compound, len(compound) - 1) == 1


def test_a_release_name_at_the_end_of_the_text_is_one_token_long(nlp):
    # A slice cut short by the doc's end was counted as three tokens: the product ran past
    # the doc and raised IndexError (14 in 100,000 fuzzed inputs).
    from technews.lexicon import default_lexicon
    from technews.pipeline.product_grammar import _codename_length

    doc = nlp.make_doc("Kameras für das macOS Sonoma")
    assert _codename_length(doc, len(doc) - 1, default_lexicon().product_grammar_words) == 1
    assert _codename_length(doc, len(doc) - 2, default_lexicon().product_grammar_words) == 0


def test_the_entity_priority_policy_is_longest_then_by_source():
    from spacy.util import registry

    from technews.pipeline.entities import Candidate

    rank = registry.misc.get("technews.entity_priority.v1")(sources=["place", "org"])
    nokia_org = Candidate(0, 1, "ORG", "Nokia", "org")
    nokia_place = Candidate(0, 1, "LOC", "Nokia", "place")
    longer = Candidate(0, 2, "PRODUCT", "Nokia 3310", "grammar")  # a source not named: last
    assert sorted([nokia_org, nokia_place, longer], key=rank) == [longer, nokia_place, nokia_org]


def test_the_entity_priority_comes_from_the_config():
    import spacy

    from technews.pipeline.entities import Candidate

    policy = {"@misc": "technews.entity_priority.v1", "sources": ["place", "org"]}
    recognizer = spacy.blank("de").add_pipe("technews_entities", config={"priority": policy})
    as_place, as_org = (Candidate(0, 1, "LOC", "Nokia", s) for s in ("place", "org"))
    assert recognizer.priority(as_place) < recognizer.priority(as_org)


def test_a_doubtful_place_is_one_after_a_place_preposition_or_where_the_model_reads_it_so(nlp):
    essen = ("Essen", "LOC", "Essen")
    assert with_model_entities(nlp, "Sie fliegt ab Mai nach Essen.", []) == [essen]
    assert with_model_entities(nlp, "Essen wächst.", []) == []
    assert with_model_entities(nlp, "Essen wächst.", [(0, 1, "LOC")]) == [essen]
    assert with_model_entities(nlp, "Essen wächst.", [(0, 1, "ORG")]) == [("Essen", "ORG", "Essen")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Laut Sabine Wiesinger steigen die Preise.", [("Sabine Wiesinger", "PER")]),
        ("Das sagte Hans-Peter Doskozil am Montag.", [("Hans-Peter Doskozil", "PER")]),
        # a first name before an everyday or abstract noun names nobody
        ("Das ist eine Art Zwischenlösung.", []),
        ("Für 500 Mark Strafe.", []),
    ],
)
def test_a_first_name_then_a_name_is_a_person(nlp, text, expected):
    assert [(e.text, e.label_) for e in nlp(text).ents] == expected
