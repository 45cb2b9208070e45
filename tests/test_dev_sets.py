"""The development and held-out sets and the authored corpora follow ANNOTATION.md and
match their texts."""

import re
from pathlib import Path

import pytest

from technews.scoring import LABELS, attach_texts, read_jsonl

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "dev"
NEWS = ROOT.parent / "shared" / "data" / "news"
GOLD_FILES = [
    *(f"dev/{name}" for name in ("gnad_dev.jsonl", "gnad_heldout.jsonl")),
    *(
        str(path.relative_to(ROOT))
        for path in sorted(
            [
                *ROOT.glob("corpus/authored/*.jsonl"),
                *ROOT.glob("corpus/relations/*.jsonl"),
                *ROOT.glob("corpus/pending/*.jsonl"),
            ]
        )
    ),
]
STATUSES = {"current", "past", "planned", "rumored"}
ARGUMENT_LABELS = {"made_by": ("PRODUCT", "ORG"), "partner_of": ("ORG", "ORG"), "owned_by": ("ORG", "ORG")}


@pytest.fixture(scope="module", params=GOLD_FILES)
def articles(request):
    articles = list(read_jsonl(ROOT / request.param))
    if request.param.startswith("corpus/"):  # written for technews: the text is in the file
        assert len({article["id"] for article in articles}) == len(articles)
        return articles
    if not NEWS.is_dir():
        pytest.skip("the derStandard texts are not on this machine")
    return attach_texts(articles, NEWS)


def test_spans_match_the_text_and_do_not_overlap(articles):
    for article in articles:
        end = 0
        for entity in article["entities"]:
            assert entity["label"] in LABELS
            assert article["text"][entity["start"] : entity["end"]] == entity["text"], article["id"]
            assert entity["start"] >= end, (article["id"], entity)
            end = entity["end"]


def test_relations_join_annotated_entities_of_the_right_labels(articles):
    for article in articles:
        labels: dict[str, set[str]] = {}
        surfaces: dict[str, set[str]] = {}
        for entity in article["entities"]:  # a name may be the company in one place, its product in another
            labels.setdefault(entity["canonical"], set()).add(entity["label"])
            surfaces.setdefault(entity["canonical"], {entity["canonical"]}).add(entity["text"])
        for relation in article["relations"]:
            assert relation["status"] in STATUSES
            assert relation["relation"] != "made_by" or relation["status"] == "current"
            head_label, tail_label = ARGUMENT_LABELS[relation["relation"]]
            assert head_label in labels.get(relation["head"], ()), (article["id"], relation)
            # `Apple CarPlay`, `Disney+` and `Super Nintendo` are made by Apple, Disney and
            # Nintendo, `Ubisoft Blue Byte` is owned by Ubisoft: the name says so without a
            # mention of its own.
            named_in_head = relation["relation"] != "partner_of" and any(
                _holds_name(surface, relation["tail"]) for surface in surfaces[relation["head"]]
            )
            assert named_in_head or tail_label in labels.get(relation["tail"], ()), (article["id"], relation)


def _holds_name(surface: str, name: str) -> bool:
    """`Disney+`, `Apple Watch` and `Super Nintendo` hold a brand's name as a word of their
    own, `Applemusic` and `ZDFmediathek` do not."""
    return surface != name and re.search(rf"(?<![^\W_]){re.escape(name)}(?![^\W_])", surface) is not None


def test_the_held_out_set_shares_no_article_with_the_development_set():
    dev = {a["id"] for a in read_jsonl(DEV / "gnad_dev.jsonl")}
    held_out = {a["id"] for a in read_jsonl(DEV / "gnad_heldout.jsonl")}
    assert len(held_out) == 60 and not dev & held_out


# The derStandard news are licensed for measuring only: no training text may repeat them.
SHARED_WORDS = 10


def _word_runs(text: str) -> set[tuple[str, ...]]:
    words = text.split()
    return {tuple(words[i : i + SHARED_WORDS]) for i in range(len(words) - SHARED_WORDS + 1)}


def test_no_training_text_repeats_a_passage_of_the_news():
    news = set().union(*(_word_runs(a["text"]) for path in NEWS.glob("*.jsonl") for a in read_jsonl(path)))
    corpora = [
        *ROOT.glob("corpus/authored/*.jsonl"),
        *ROOT.glob("corpus/relations/*.jsonl"),
        *ROOT.glob("corpus/pending/*.jsonl"),
    ]
    for path in corpora:
        for item in read_jsonl(path):
            assert not _word_runs(item["text"]) & news, (path.name, item["id"])
