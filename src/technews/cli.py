"""The technews command line: extract from an article, evaluate against gold."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

import technews
from technews.errors import TechnewsError
from technews.scoring import LABELS, RELATIONS, attach_texts, read_jsonl, score

app = typer.Typer(
    help="Organizations, products, people, places and brand relations in German tech news.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
console = Console()
errors = Console(stderr=True)

ModelOption = Annotated[
    Path | None, typer.Option("--model", "-m", help="Pipeline folder (default: the shipped one).")
]


def fail(message: str, code: int = 1) -> typer.Exit:
    errors.print(f"[bold red]technews:[/] {message}", highlight=False)
    return typer.Exit(code)


def read_text(source: str) -> str:
    """The article in a UTF-8 file, or on standard input for `-`."""
    if source == "-":
        return sys.stdin.read()
    path = Path(source)
    if not path.is_file():
        raise fail(f"no such file: {source}", 2)
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise fail(f"{source} is not UTF-8 text ({error.reason} at byte {error.start})") from error


@app.command()
def extract(
    source: Annotated[str, typer.Argument(help="A UTF-8 text file with one article, or - for stdin.")],
    pretty: Annotated[bool, typer.Option("--pretty", help="Readable tables instead of JSON.")] = False,
    model: ModelOption = None,
) -> None:
    """Print the entities and relations of one article as JSON."""
    text = read_text(source)
    try:
        nlp = technews.load(model) if model else None
        result = technews.extract(text, nlp=nlp)
    except TechnewsError as error:
        raise fail(str(error)) from error
    if pretty:
        print_tables(result)
    else:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Gold articles, JSON Lines as in ANNOTATION.md.")],
    predicted: Annotated[
        Path | None, typer.Argument(help="Predictions to score; without it technews runs on the gold texts.")
    ] = None,
    model: ModelOption = None,
    texts: Annotated[
        Path,
        typer.Option(help="Folder of JSON Lines articles (id, text) for gold files stored without text."),
    ] = Path("../shared/data/news"),
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Score predictions (or the pipeline itself) against gold annotations."""
    for path in (gold, predicted):
        if path is not None and not path.is_file():
            raise fail(f"no such file: {path}", 2)
    try:
        gold_articles = list(read_jsonl(gold))
        if predicted is not None:
            predictions = list(read_jsonl(predicted))
        else:
            gold_articles = attach_texts(gold_articles, texts)
            nlp = technews.load(model)
            predictions = [{"id": a.get("id"), **technews.extract(a["text"], nlp)} for a in gold_articles]
        scores = score(gold_articles, predictions).as_dict()
    except TechnewsError as error:
        raise fail(str(error)) from error
    if as_json:
        typer.echo(json.dumps(scores, indent=2))
    else:
        print_scores(scores, len(gold_articles))


@app.command()
def assemble(
    out: Annotated[Path, typer.Option(help="Where to write the pipeline.")] = Path("models/technews-de"),
    config: Annotated[Path, typer.Option(help="The pipeline's config.")] = Path("configs/technews.cfg"),
    ner: Annotated[Path | None, typer.Option(help="A trained pipeline whose 'ner' runs first.")] = None,
    rules: Annotated[bool, typer.Option(help="Include the rule-based entity recognizer.")] = True,
) -> None:
    """Build a pipeline folder from the config (rules alone, or with a trained NER)."""
    from technews.training.assemble import assemble as assemble_pipeline

    console.print(f"saved {assemble_pipeline(config, out, ner, rules)}")


@app.command()
def train(
    data: Annotated[Path, typer.Option(help="GermEval 2014 and SmartData v1 folders.")] = Path(
        "../shared/data"
    ),
    authored: Annotated[Path, typer.Option(help="The authored corpus.")] = Path("corpus/authored"),
    config: Annotated[Path, typer.Option(help="The NER's training config.")] = Path("configs/ner.cfg"),
    workdir: Annotated[Path, typer.Option(help="Corpus and checkpoints.")] = Path("training"),
    out: Annotated[Path, typer.Option(help="Where to write the pipeline.")] = Path("models/technews-de"),
    seed: int = 0,
) -> None:
    """Rebuild the corpus from its sources, train the NER and assemble the shipped pipeline."""
    from technews.training.assemble import assemble as assemble_pipeline
    from technews.training.train import build_corpus, train_ner

    for label, counts in build_corpus(data, authored, workdir / "corpus", seed).items():
        console.print(f"{label}: {dict(counts)}")
    best = train_ner(config, workdir / "corpus", workdir / "ner", seed)
    console.print(f"saved {assemble_pipeline(Path('configs/technews.cfg'), out, best)}")


def print_scores(scores: dict[str, Any], articles: int) -> None:
    table = Table(title=f"technews evaluate: {articles} articles")
    for column in ("", "P", "R", "F1", "TP", "FP", "FN"):
        table.add_column(column, justify="left" if not column else "right")

    def row(name: str, counts: dict[str, Any]) -> None:
        table.add_row(
            name,
            *(f"{counts[k]:.3f}" for k in ("precision", "recall", "f1")),
            *(str(counts[k]) for k in ("tp", "fp", "fn")),
        )

    for label in LABELS:
        row(label, scores["entities"][label])
    row("ORG+PRODUCT", scores["org_product"])
    row("entities (micro)", scores["entities_micro"])
    for relation in RELATIONS:
        row(relation, scores["relations"][relation])
    row("relations (micro)", scores["relations_micro"])
    console.print(table)
    console.print(
        f"canonical accuracy {scores['canonical_accuracy']:.3f}   "
        f"status accuracy {scores['status_accuracy']:.3f}"
    )


def print_tables(result: dict[str, Any]) -> None:
    entities = Table(title="Entities")
    for column in ("start", "end", "label", "text", "canonical"):
        entities.add_column(column)
    for entity in result["entities"]:
        entities.add_row(*(escape(str(entity[k])) for k in ("start", "end", "label", "text", "canonical")))
    relations = Table(title="Relations")
    for column in ("head", "relation", "tail", "status", "evidence"):
        relations.add_column(column)
    for relation in result["relations"]:
        evidence = relation["evidence"]
        relations.add_row(
            escape(relation["head"]),
            relation["relation"],
            escape(relation["tail"]),
            relation["status"],
            f"{evidence['start']}-{evidence['end']}",
        )
    console.print(entities)
    console.print(relations)


if __name__ == "__main__":
    app()
