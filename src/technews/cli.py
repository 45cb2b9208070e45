"""The technews command line: extract from an article or a whole dump, evaluate against gold."""

from __future__ import annotations

import codecs
import json
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

import technews
from technews.batch.extraction import MAX_CHARS, ExtractOptions, extract_articles
from technews.batch.job import BATCH_SIZE, BatchOptions, run_batch
from technews.batch.job import Summary as BatchSummary
from technews.batch.paths import format_from_name
from technews.batch.readers import MAX_RECORD_BYTES, FieldMapping, read_articles
from technews.batch.records import is_error
from technews.batch.stats import collect_stats
from technews.errors import TechnewsError
from technews.scoring import LABELS, RELATIONS, attach_texts, read_jsonl, score

app = typer.Typer(
    help="Organizations, products, people, places and brand relations in German tech news.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
console = Console()
errors = Console(stderr=True)

OutputFormat = Literal["jsonl", "csv", "parquet"]
InputFormat = Literal["jsonl", "json", "csv", "tsv", "txt", "html"]
Engine = Literal["local", "dask"]
IdField = Annotated[str, typer.Option(help="Input field with the article's id.")]
TextField = Annotated[str, typer.Option(help="Input field with the article's text.")]
TitleField = Annotated[str, typer.Option(help="Input field with the title ('' for none).")]
ModelOption = Annotated[
    Path | None, typer.Option("--model", "-m", help="Pipeline folder (default: the shipped one).")
]


def _print_version(value: bool) -> None:
    if value:
        console.print(f"technews {technews.__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """Organizations, products, people, places and brand relations in German tech news."""


def _stdout_closed() -> typer.Exit:
    """A reader that closed the pipe early (`-o - | head`) has taken all it wanted: end
    quietly, as Unix tools do. Python flushes stdout once more at exit; pointing it at
    /dev/null keeps that flush from failing."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return typer.Exit(0)


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
    source: Annotated[str, typer.Argument(help="An article file (text, HTML, or any batch format), or -.")],
    pretty: Annotated[bool, typer.Option("--pretty", help="Readable tables instead of JSON.")] = False,
    input_format: Annotated[InputFormat | None, typer.Option(help="Read the input as this.")] = None,
    model: ModelOption = None,
) -> None:
    """Print the entities and relations of one article as JSON (a text file or standard
    input); of each article, one record per line, for the formats `technews batch` reads."""
    kind = input_format or (None if source == "-" else format_from_name(source))
    if kind in (None, "txt"):
        text = read_text(source)
        try:
            nlp = technews.load(model) if model else None
            results = [technews.extract(text, nlp=nlp)]
        except TechnewsError as error:
            raise fail(str(error)) from error
    else:
        if source != "-" and not Path(source).is_file():
            raise fail(f"no such file: {source}", 2)
        articles = list(read_articles([source], input_format=kind))
        results = [one.record for one in extract_articles(technews.load(model), articles)]
    for result in results:
        if pretty and is_error(result):
            errors.print(f"{result['id']}: {result['error']['message']}", highlight=False)
        elif pretty:
            print_tables(result)
        else:
            typer.echo(json.dumps(result, ensure_ascii=False, indent=2 if len(results) == 1 else None))
    if any(is_error(result) for result in results):
        raise typer.Exit(3)


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
    gold_entities: Annotated[
        bool,
        typer.Option(help="Give the pipeline the gold entities: relations measured apart from the NER."),
    ] = False,
) -> None:
    """Score predictions (or the pipeline itself) against gold annotations."""
    for path in (gold, predicted):
        if path is not None and not path.is_file():
            raise fail(f"no such file: {path}", 2)
    if gold_entities and predicted is not None:
        raise fail("--gold-entities runs the pipeline: give no predictions with it", 2)
    try:
        gold_articles = list(read_jsonl(gold))
        if predicted is not None:
            predictions = list(read_jsonl(predicted))
        else:
            gold_articles = attach_texts(gold_articles, texts)
            nlp = technews.load(model)
            given = (lambda article: article["entities"]) if gold_entities else (lambda article: None)
            predictions = [
                {"id": a.get("id"), **technews.extract(a["text"], nlp, entities=given(a))}
                for a in gold_articles
            ]
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
    relation_scorer: Annotated[
        Path | None, typer.Option(help="A pipeline with a trained relation scorer to take it from.")
    ] = None,
) -> None:
    """Build a pipeline folder from the config (rules alone, or with trained parts)."""
    from technews.training.assemble import assemble as assemble_pipeline

    console.print(f"saved {assemble_pipeline(config, out, ner, rules, relation_scorer)}")


@app.command()
def package(
    out: Annotated[Path, typer.Argument(help="Folder to write the wheel to.")],
    model: ModelOption = None,
    scores: Annotated[
        list[Path] | None,
        typer.Option("--scores", help="`technews evaluate --json` output to ship as accuracy (repeatable)."),
    ] = None,
) -> None:
    """Build the installable model package de_technews (a wheel) for spacy.load("de_technews")."""
    from technews.packaging import package_model

    try:
        figures = {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in scores or []}
        wheel = package_model(Path(model) if model else technews.default_model_path(), out, figures)
    except (OSError, ValueError, TechnewsError) as error:
        raise fail(str(error)) from error
    console.print(f"saved {wheel}")


DataOption = Annotated[Path, typer.Option(help="GermEval 2014 and SmartData v1 folders.")]
CorporaOption = Annotated[
    list[Path], typer.Option("--corpus", help="Authored corpora (gold JSON Lines folders).")
]
DEFAULT_CORPORA = [Path("corpus/authored"), Path("corpus/relations")]


@app.command()
def train(
    data: DataOption = Path("../shared/data"),
    authored: Annotated[Path, typer.Option(help="The authored corpus (NER and relations).")] = Path(
        "corpus/authored"
    ),
    relations: Annotated[Path, typer.Option(help="The relation corpus (relations only).")] = Path(
        "corpus/relations"
    ),
    germeval_decisions: Annotated[
        Path, typer.Option(help="Annotators' labels of GermEval's OTH spans.")
    ] = Path("corpus/germeval2014"),
    smartdata_products: Annotated[
        Path, typer.Option(help="Annotators' PRODUCT spans in SmartData's documents.")
    ] = Path("corpus/smartdata"),
    config: Annotated[Path, typer.Option(help="The NER's training config.")] = Path("configs/ner.cfg"),
    workdir: Annotated[Path, typer.Option(help="Corpus and checkpoints.")] = Path("training"),
    out: Annotated[Path, typer.Option(help="Where to write the pipeline.")] = Path("models/technews-de"),
    seed: int = 0,
) -> None:
    """Rebuild the corpus from its sources, train the NER and the relation scorer, and
    assemble the shipped pipeline."""
    from technews.training.train import build_corpus, train_ner

    corpus = build_corpus(
        data,
        authored,
        workdir / "corpus",
        seed,
        germeval_decisions=germeval_decisions,
        smartdata_products=smartdata_products,
    )
    for label, counts in corpus.items():
        console.print(f"{label}: {dict(counts)}")
    best = train_ner(config, workdir / "corpus", workdir / "ner", seed)
    train_scorer_and_assemble(best, [authored, relations], data, workdir, out, seed)


@app.command("train-relations")
def train_relations(
    pipeline: Annotated[Path, typer.Option(help="A pipeline with the NER and rules to train on.")] = Path(
        "models/technews-de"
    ),
    data: DataOption = Path("../shared/data"),
    corpus: CorporaOption = DEFAULT_CORPORA,
    workdir: Annotated[Path, typer.Option(help="Where the intermediate pipelines go.")] = Path("training"),
    out: Annotated[Path, typer.Option(help="Where to write the pipeline.")] = Path("models/technews-de"),
    seed: int = 0,
) -> None:
    """Retrain only the relation scorer, on top of an existing pipeline's NER (about a minute)."""
    train_scorer_and_assemble(pipeline, corpus, data, workdir, out, seed)


def train_scorer_and_assemble(
    ner: Path, corpora: list[Path], data: Path, workdir: Path, out: Path, seed: int
) -> None:
    """The pipeline with ``ner`` and the rules, its relation scorer trained, saved to ``out``."""
    from technews.training.assemble import assemble as assemble_pipeline
    from technews.training.relations import train_relation_scorer

    config = Path("configs/technews.cfg")
    base = assemble_pipeline(config, workdir / "pipeline", ner)
    history = train_relation_scorer(base, config, corpora, data, workdir / "relations", seed)
    console.print(f"relation scorer: held-out relation F1 {max(f1 for _, f1 in history):.3f}")
    console.print(f"saved {assemble_pipeline(config, out, base, relation_scorer=workdir / 'relations')}")


@app.command()
def batch(
    inputs: Annotated[list[str], typer.Argument(help="Files (any compression), folders, globs, -.")],
    output: Annotated[str, typer.Option("--output", "-o", help="Output file; a folder for csv and parquet.")],
    output_format: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = "jsonl",
    input_format: Annotated[InputFormat | None, typer.Option(help="Read every input as this.")] = None,
    id_field: IdField = "id",
    text_field: TextField = "text",
    title_field: TitleField = "title",
    html: Annotated[bool, typer.Option("--html", help="Text and title fields hold HTML.")] = False,
    delimiter: Annotated[
        str | None, typer.Option(help="CSV delimiter, one character or 'tab' (default: from the header).")
    ] = None,
    encoding: Annotated[
        str | None, typer.Option(help="Encoding of CSV, TSV and text files (default: UTF-8).")
    ] = None,
    records_path: Annotated[
        str | None, typer.Option(help="Where a JSON document keeps its articles ('articles', 'data.items').")
    ] = None,
    keep_text: Annotated[bool, typer.Option("--keep-text", help="Add the processed text.")] = False,
    languages: Annotated[
        str | None,
        typer.Option(help="Process only these languages ('de' or 'de,en'); default: all, others flagged."),
    ] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Continue an interrupted run's output.")] = False,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace an existing output.")] = False,
    n_process: Annotated[int, typer.Option(min=1, help="Processes (dask without scheduler: workers).")] = 1,
    batch_size: Annotated[int, typer.Option(min=1, help="Articles per batch and task.")] = BATCH_SIZE,
    max_chars: Annotated[int, typer.Option(min=1000, help="Longer articles go in pieces.")] = MAX_CHARS,
    max_record_bytes: Annotated[
        int, typer.Option(min=1, help="Longer lines, items, rows, files: too_large, unread.")
    ] = MAX_RECORD_BYTES,
    follow_symlinks: Annotated[
        bool, typer.Option("--follow-symlinks", help="Follow links in folders and globs that point outside.")
    ] = False,
    engine: Annotated[Engine, typer.Option(help="Where the pipeline runs.")] = "local",
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address (--engine dask).")] = None,
    model: ModelOption = None,
    report: Annotated[Path | None, typer.Option(help="Write the summary as JSON to this file.")] = None,
    progress: Annotated[
        bool | None, typer.Option("--progress/--no-progress", help="Progress display (default: on a tty).")
    ] = None,
) -> None:
    """Process a dump of articles: one output record per article, a result or an error record.

    Exit status: 0 when every article was processed, 3 when some records are errors,
    1 when the output cannot be written or resumed, 130 when interrupted by Ctrl-C and 143 by
    SIGTERM (--resume goes on).
    """
    options = BatchOptions(
        inputs=inputs,
        output=output,
        output_format=output_format,
        input_format=input_format,
        mapping=FieldMapping(
            id_field=id_field,
            text_field=text_field,
            title_field=title_field or None,
            html=html,
            csv_delimiter=_delimiter(delimiter),
            encoding=_encoding(encoding),
            records_path=records_path or None,
        ),
        max_record_bytes=max_record_bytes,
        follow_symlinks=follow_symlinks,
        extract=ExtractOptions(max_chars, keep_text, _languages(languages)),
        resume=resume,
        overwrite=overwrite,
        engine=engine,
        n_process=n_process,
        scheduler=scheduler,
        batch_size=batch_size,
        model=str(model.resolve()) if model else None,  # workers may run elsewhere
    )
    try:
        with sigterm_as_interrupt():
            summary = run_batch(options, progress=sys.stderr.isatty() if progress is None else progress)
    except Terminated:
        raise fail(INTERRUPTED.format(signal="SIGTERM"), 128 + signal.SIGTERM) from None
    except KeyboardInterrupt:
        raise fail(INTERRUPTED.format(signal="Ctrl-C"), 128 + signal.SIGINT) from None
    except TechnewsError as error:
        raise fail(str(error)) from error
    except BrokenPipeError:
        raise _stdout_closed() from None
    except OSError as error:  # the output's disk is full, its folder gone...
        raise fail(f"cannot write {output}: {error}") from error
    print_summary(summary, output)
    if report is not None:
        report.write_text(json.dumps(summary.as_dict(), indent=2) + "\n", encoding="utf-8")
    if summary.failed + summary.failed_before:
        raise typer.Exit(3)


def _languages(value: str | None) -> frozenset[str] | None:
    if value is None:
        return None
    codes = frozenset(code.strip().lower() for code in value.split(",") if code.strip())
    if not codes or not all(len(code) == 2 and code.isalpha() for code in codes):
        raise fail(f"--languages takes ISO 639-1 codes such as 'de' or 'de,en', not {value!r}", 2)
    return codes


def _delimiter(value: str | None) -> str | None:
    if value is None:
        return None
    delimiter = "\t" if value in ("tab", "\\t") else value
    if len(delimiter) != 1:
        raise fail(f"--delimiter must be one character or 'tab', not {value!r}", 2)
    return delimiter


def _encoding(value: str | None) -> str | None:
    if value is not None:
        try:
            codecs.lookup(value)
        except LookupError:
            raise fail(f"unknown --encoding {value!r} (try utf-8, cp1252, latin-1)", 2) from None
    return value


INTERRUPTED = "interrupted ({signal}): the records written so far are complete; --resume goes on"


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where Ctrl-C would be, so a batch stops the same way: output flushed,
    workers stopped, resumable."""


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():  # only it may handle signals
        yield
        return

    def interrupt(number: int, frame: Any) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@app.command()
def report(
    output: Annotated[Path, typer.Argument(help="Batch output: JSON Lines, a CSV or Parquet folder.")],
    page: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")] = Path(
        "report.html"
    ),
    inputs: Annotated[
        list[str] | None,
        typer.Option("--input", help="The batch's input, for the texts of records without one (repeatable)."),
    ] = None,
    id_field: IdField = "id",
    text_field: TextField = "text",
    title_field: TitleField = "title",
    top: Annotated[int, typer.Option(min=1, help="How many organizations, products, relations.")] = 30,
    articles: Annotated[int, typer.Option(min=0, help="How many articles to show.")] = 100,
) -> None:
    """One self-contained HTML page about a batch output: top names, relation graph, articles."""
    from technews.report import build_report, write_report

    mapping = FieldMapping(id_field=id_field, text_field=text_field, title_field=title_field or None)
    try:
        write_report(build_report(output, inputs, mapping, top, articles), page)
    except TechnewsError as error:
        raise fail(str(error), 2 if not output.exists() else 1) from error
    console.print(f"wrote {page}")


@app.command()
def stats(
    output: Annotated[Path, typer.Argument(help="Batch output: JSON Lines, a CSV or Parquet folder.")],
    top: Annotated[int, typer.Option(min=1, help="How many of each to show.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """The most mentioned organizations and products and the relations found in a batch output."""
    try:
        figures = collect_stats(output).as_dict(top)
    except TechnewsError as error:
        raise fail(str(error), 2 if not output.exists() else 1) from error
    if as_json:
        typer.echo(json.dumps(figures, ensure_ascii=False, indent=2))
    else:
        print_stats(figures)


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


def print_summary(summary: BatchSummary, output: str) -> None:
    figures = summary.as_dict()
    reasons = ", ".join(f"{reason} {count}" for reason, count in summary.reasons.most_common())
    resumed = (
        f" after {summary.resumed_after:,} records already there ({summary.failed_before:,} errors)"
        if summary.resumed_after
        else ""
    )
    errors.print(
        f"technews batch: {summary.processed:,} articles{resumed} in {summary.seconds:.1f} s "
        f"({figures['articles_per_second']:,.1f} articles/s, {figures['words_per_second']:,.0f} words/s): "
        f"{summary.succeeded:,} processed, {summary.failed:,} failed"
        + (f" ({escape(reasons)})" if reasons else "")
        + (f" -> {escape(output)}" if output != "-" else ""),
        highlight=False,
        soft_wrap=True,
    )
    if summary.languages:
        counts = ", ".join(f"{language} {count:,}" for language, count in summary.languages.most_common())
        errors.print(
            f"[yellow]warning:[/] {sum(summary.languages.values()):,} articles are not in German ({counts}); "
            "technews reads German (their records say `language`; --languages de leaves them out)",
            highlight=False,
            soft_wrap=True,
        )


def print_stats(figures: dict[str, Any]) -> None:
    reasons = ", ".join(f"{reason} {count}" for reason, count in figures["reasons"].items())
    console.print(
        f"{figures['records']:,} records: {figures['succeeded']:,} processed, {figures['failed']:,} errors"
        + (f" ({escape(reasons)})" if reasons else ""),
        highlight=False,
    )
    for key, title in (("organizations", "Organizations"), ("products", "Products")):
        table = Table(title=title)
        for column in ("canonical", "mentions", "articles"):
            table.add_column(column, justify="left" if column == "canonical" else "right")
        for row in figures[key]:
            table.add_row(escape(row["canonical"]), str(row["mentions"]), str(row["articles"]))
        console.print(table)
    table = Table(title="Relations")
    for column in ("head", "relation", "tail", "articles", "statuses"):
        table.add_column(column, justify="right" if column == "articles" else "left")
    for row in figures["relations"]:
        statuses = ", ".join(f"{status} {count}" for status, count in row["statuses"].items())
        names = escape(row["head"]), row["relation"], escape(row["tail"])
        table.add_row(*names, str(row["articles"]), statuses)
    console.print(table)


if __name__ == "__main__":
    app()
