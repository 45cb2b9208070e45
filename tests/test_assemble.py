"""technews assemble: rules alone, or with a trained NER, from configs/technews.cfg."""

from pathlib import Path

import spacy
from spacy.training import Example

from technews.training.assemble import assemble

CONFIG = Path(__file__).resolve().parents[1] / "configs" / "technews.cfg"


def tiny_ner(folder: Path) -> Path:
    """A (barely) trained NER that tags `Zorblatt` as ORG, saved to ``folder``."""
    spacy.util.fix_random_seed(0)
    nlp = spacy.blank("de")
    nlp.add_pipe("ner")
    doc = nlp.make_doc("Zorblatt baut Geräte .")
    examples = [Example.from_dict(doc, {"entities": ["U-ORG", "O", "O", "O"]})]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(30):
        nlp.update(examples, sgd=optimizer)
    nlp.to_disk(folder)
    return folder


def test_rules_alone(tmp_path):
    nlp = spacy.load(assemble(CONFIG, tmp_path / "rules"))
    # Tokens settled, then sentences, then the rules that read them.
    assert nlp.pipe_names[:3] == ["technews_model_numbers", "sentencizer", "technews_entities"]
    assert "ner" not in nlp.pipe_names
    assert [e.text for e in nlp("Huawei zeigt das Mate 40 Pro.").ents] == ["Huawei", "Mate 40 Pro"]


def test_trained_ner_runs_first_and_keeps_its_weights(tmp_path):
    ner = tiny_ner(tmp_path / "ner")
    nlp = spacy.load(assemble(CONFIG, tmp_path / "combined", ner=ner))
    assert nlp.pipe_names[:4] == ["ner", "technews_model_numbers", "sentencizer", "technews_entities"]
    doc = nlp("Zorblatt baut Geräte. Huawei zeigt das Mate 40 Pro.")
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Zorblatt", "ORG"),
        ("Huawei", "ORG"),
        ("Mate 40 Pro", "PRODUCT"),
    ]


def test_model_alone(tmp_path):
    ner = tiny_ner(tmp_path / "ner")
    nlp = spacy.load(assemble(CONFIG, tmp_path / "model", ner=ner, rules=False))
    assert "technews_entities" not in nlp.pipe_names
    found = [e.text for e in nlp("Zorblatt baut Geräte. Huawei zeigt das Mate 40 Pro.").ents]
    assert "Zorblatt" in found and "Mate 40 Pro" not in found  # the model's, none of the rules'
