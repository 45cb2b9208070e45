"""Reading dumps: every input format and compression, globs, stdin, field mapping, ids, bad input."""

import bz2
import csv
import gzip
import io
import json
import lzma
import sys
from pathlib import Path

import pytest
import zstandard

from technews.batch.readers import FieldMapping, article_from_object, read_articles, sniffed_delimiter

FIXTURES = Path(__file__).parent / "fixtures" / "batch"
ARTICLES = FIXTURES / "articles.jsonl"
COMPRESSORS = {
    "gzip": gzip.compress,
    "bz2": bz2.compress,
    "xz": lzma.compress,
    "zstd": zstandard.ZstdCompressor().compress,
}


def fixture_objects() -> list[dict]:
    return [json.loads(line) for line in ARTICLES.read_text(encoding="utf-8").splitlines()]


def read(*inputs, **options) -> list:
    return list(read_articles([str(i) for i in inputs], **options))


def contents(articles) -> list[tuple]:
    """What an article carries, its id aside."""
    return [(a.title, a.text, a.fields, a.error) for a in articles]


def write_csv(path: Path, objects: list[dict], delimiter: str = ",") -> None:
    columns = ["id", "title", "text", "section"]
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, columns, delimiter=delimiter, extrasaction="ignore")
        writer.writeheader()
        writer.writerows({c: o.get(c, "") for c in columns} for o in objects)


def test_json_lines_give_one_article_a_line_with_fields_passed_through():
    articles = read(ARTICLES)
    objects = fixture_objects()
    assert [a.text for a in articles] == [o["text"] for o in objects]
    assert articles[0].title == "Apple kauft Beats"
    assert articles[0].fields == {"section": "Wirtschaft", "tags": ["Apple", "Audio"]}
    assert articles[4].id == 17  # ids keep their JSON type


def test_articles_without_id_get_one_from_their_place_in_the_file():
    articles = read(ARTICLES)
    assert articles[3].id == f"{ARTICLES}:4"
    assert [a.id for a in read(ARTICLES)] == [a.id for a in articles]  # stable over runs


def test_json_array_is_read_item_by_item(tmp_path):
    dump = tmp_path / "dump.json"
    dump.write_text(json.dumps(fixture_objects(), ensure_ascii=False, indent=1), encoding="utf-8")
    articles = read(dump)
    assert contents(articles) == contents(read(ARTICLES))
    assert articles[3].id == f"{dump}:4"


@pytest.mark.parametrize(("suffix", "delimiter"), [(".csv", ","), (".tsv", "\t")])
def test_csv_and_tsv_rows_are_articles(tmp_path, suffix, delimiter):
    dump = tmp_path / f"dump{suffix}"
    write_csv(dump, fixture_objects(), delimiter)
    articles = read(dump)
    assert [a.text for a in articles] == [o["text"] for o in fixture_objects()]
    assert articles[0].title == "Apple kauft Beats" and articles[0].fields == {"section": "Wirtschaft"}
    assert articles[1].title == ""  # an empty cell: no title
    assert articles[3].id == f"{dump}:4"


def test_a_semicolon_csv_as_german_spreadsheets_export_it_is_read_by_its_header(tmp_path):
    comma, semicolon = tmp_path / "comma.csv", tmp_path / "export.csv"
    write_csv(comma, fixture_objects(), ",")
    write_csv(semicolon, fixture_objects(), ";")
    assert contents(read(semicolon)) == contents(read(comma))
    assert read(semicolon)[0].fields == {"section": "Wirtschaft"}


def test_the_delimiter_and_encoding_may_be_given(tmp_path):
    dump = tmp_path / "export.csv"
    # A header without the delimiter leaves nothing to detect; cp1252 is Excel's German default.
    dump.write_bytes("text\nMüller führt Siemens, sagt man.\n".encode("cp1252"))
    (article,) = read(dump, mapping=FieldMapping(csv_delimiter="|", encoding="cp1252"))
    assert article.text == "Müller führt Siemens, sagt man."
    (undecoded,) = read(dump, mapping=FieldMapping(csv_delimiter="|"))
    assert undecoded.error is not None and undecoded.error.reason == "not_text"


@pytest.mark.parametrize(
    ("header", "delimiter"),
    [("id,text", ","), ("id;titel;text", ";"), ("id\ttext", "\t"), ('"a,b";text;x', ";"), ("text", ",")],
)
def test_the_delimiter_is_the_one_the_header_holds_most_outside_quotes(header, delimiter):
    assert sniffed_delimiter(header + "\n") == delimiter


def test_csv_fields_may_hold_line_breaks_and_long_texts(tmp_path):
    dump = tmp_path / "dump.csv"
    long_text = "Samsung stellt das Galaxy S24 vor.\n\n" + "Der Markt wächst. " * 20_000
    write_csv(dump, [{"id": "long", "text": long_text}, {"id": "next", "text": "Apple kauft Beats."}])
    assert [(a.id, a.text) for a in read(dump)] == [("long", long_text), ("next", "Apple kauft Beats.")]


def test_folder_of_text_files_gives_one_article_a_file_named_by_its_path(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.txt").write_text("Samsung stellt das Galaxy S24 vor.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Apple kauft Beats.", encoding="utf-8")
    (tmp_path / "notes.md").write_text("no article", encoding="utf-8")  # not an article format
    (tmp_path / ".hidden.txt").write_text("no article", encoding="utf-8")
    articles = read(tmp_path)
    assert [(a.id, a.text) for a in articles] == [
        (f"{tmp_path}/a.txt", "Apple kauft Beats."),
        (f"{tmp_path}/b/two.txt", "Samsung stellt das Galaxy S24 vor."),
    ]


def test_folder_of_json_files_gives_one_article_a_file(tmp_path):
    for number, value in enumerate(fixture_objects()):
        (tmp_path / f"{number:02d}.json").write_text(json.dumps(value), encoding="utf-8")
    articles = read(tmp_path)
    assert contents(articles) == contents(read(ARTICLES))
    assert articles[3].id == f"{tmp_path}/03.json"


def test_folder_of_html_files_is_read_as_html():
    articles = read(FIXTURES / "html")
    assert [a.id for a in articles] == [
        f"{FIXTURES}/html/2024/huawei.html",
        f"{FIXTURES}/html/samsung.htm",
    ]
    assert all(a.html for a in articles)
    assert "Galaxy S24 im Überblick" in articles[1].text  # its meta charset is ISO-8859-1


@pytest.mark.parametrize("kind", sorted(COMPRESSORS))
def test_compression_is_recognised_by_content_not_name(tmp_path, kind):
    dump = tmp_path / "dump.jsonl"  # no compression suffix
    dump.write_bytes(COMPRESSORS[kind](ARTICLES.read_bytes()))
    assert contents(read(dump)) == contents(read(ARTICLES))


@pytest.mark.parametrize(("kind", "suffix"), [("gzip", ".csv.gz"), ("zstd", ".csv.zst"), ("xz", ".txt.xz")])
def test_compressed_files_keep_the_format_their_name_says(tmp_path, kind, suffix):
    plain = tmp_path / ("plain." + suffix.split(".")[1])
    if suffix.startswith(".csv"):
        write_csv(plain, fixture_objects())
    else:
        plain.write_text("Apple kauft Beats.", encoding="utf-8")
    dump = tmp_path / f"dump{suffix}"
    dump.write_bytes(COMPRESSORS[kind](plain.read_bytes()))
    assert contents(read(dump)) == contents(read(plain))


def test_zstd_with_several_frames_is_read_whole(tmp_path):
    lines = ARTICLES.read_bytes().splitlines(keepends=True)
    compress = zstandard.ZstdCompressor().compress
    dump = tmp_path / "dump.jsonl"
    dump.write_bytes(compress(b"".join(lines[:3])) + compress(b"".join(lines[3:])))
    assert contents(read(dump)) == contents(read(ARTICLES))


class FakeStdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


@pytest.mark.parametrize("kind", ["plain", "gzip", "zstd"])
def test_standard_input_is_json_lines_compressed_or_not(monkeypatch, kind):
    data = ARTICLES.read_bytes()
    monkeypatch.setattr(sys, "stdin", FakeStdin(data if kind == "plain" else COMPRESSORS[kind](data)))
    articles = read("-")
    assert contents(articles) == contents(read(ARTICLES))
    assert articles[3].id == "<stdin>:4"


def test_standard_input_holding_a_json_array_is_recognised(monkeypatch):
    array = json.dumps(fixture_objects()).encode()
    monkeypatch.setattr(sys, "stdin", FakeStdin(b"\n  " + array))
    assert contents(read("-")) == contents(read(ARTICLES))


def test_input_format_can_be_forced(tmp_path):
    dump = tmp_path / "export.dat"
    dump.write_bytes(ARTICLES.read_bytes())
    assert contents(read(dump, input_format="jsonl")) == contents(read(ARTICLES))


def test_globs_are_expanded_in_order(tmp_path):
    for name in ("b.jsonl", "a.jsonl"):
        (tmp_path / name).write_text(json.dumps({"id": name, "text": "Apple kauft Beats."}) + "\n")
    assert [a.id for a in read(tmp_path / "*.jsonl")] == ["a.jsonl", "b.jsonl"]


def test_field_mapping_names_id_text_and_title():
    value = {"guid": "g-1", "body": "Apple kauft Beats.", "headline": "Übernahme", "text": "x", "extra": [1]}
    mapping = FieldMapping(id_field="guid", text_field="body", title_field="headline")
    article = article_from_object(value, "default", mapping)
    assert (article.id, article.text, article.title) == ("g-1", "Apple kauft Beats.", "Übernahme")
    assert article.fields == {"extra": [1]}  # `text` is technews' own output key


def test_bad_lines_are_articles_with_the_reason():
    articles = read(FIXTURES / "bad.jsonl")
    assert len(articles) == 7  # one for every line
    errors = {a.id: a.error.as_dict() for a in articles if a.error}
    assert errors[f"{FIXTURES}/bad.jsonl:5"]["reason"] == "broken_line"
    assert errors[f"{FIXTURES}/bad.jsonl:5"]["line"] == 5
    assert errors["no-text"]["reason"] == "missing_field"
    assert errors[f"{FIXTURES}/bad.jsonl:7"]["reason"] == "not_text"


def test_a_missing_file_and_an_empty_glob_are_articles_with_the_reason(tmp_path):
    articles = read(tmp_path / "missing.jsonl", tmp_path / "*.csv", ARTICLES)
    assert [a.error.reason for a in articles[:2]] == ["missing_file", "missing_file"]
    assert articles[0].id == str(tmp_path / "missing.jsonl")
    assert len(articles) == 2 + len(fixture_objects())


def test_a_binary_text_file_is_not_text(tmp_path):
    (tmp_path / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    (article,) = read(tmp_path / "photo.txt")
    assert article.error.reason == "not_text" and "not UTF-8" in article.error.message


@pytest.mark.parametrize("kind", list(COMPRESSORS))
def test_a_truncated_compressed_file_keeps_what_was_read_and_says_the_rest_is_unreadable(tmp_path, kind):
    # zstandard's stream reader took a zstd file cut inside a frame for a short one: 0 articles.
    data = COMPRESSORS[kind](ARTICLES.read_bytes() * 200)
    dump = tmp_path / "dump.jsonl.x"
    dump.write_bytes(data[: len(data) // 2])
    articles = read(dump)
    *good, last = articles  # block codecs (xz, zstd) may hold back a whole block: good may be []
    assert all(a.error is None for a in good)
    assert last.error.reason == "unreadable_file"
    assert (
        f"after {len(good)} articles" in last.error.message if good else "cannot read" in last.error.message
    )


def test_garbage_named_gz_is_an_unreadable_file(tmp_path):
    dump = tmp_path / "dump.jsonl.gz"
    dump.write_bytes(b"\x1f\x8b\x08\x00garbage that is no deflate stream")
    (article,) = read(dump)
    assert article.error.reason == "unreadable_file"


def test_a_broken_json_array_keeps_the_items_before_the_break(tmp_path):
    dump = tmp_path / "dump.json"
    dump.write_text('[{"id": "a", "text": "Apple kauft Beats."}, {"id": "b", "text": "Sams', encoding="utf-8")
    first, broken = read(dump)
    assert first.id == "a" and first.error is None
    assert broken.error.reason == "broken_line" and broken.id == f"{dump}:2"


def test_csv_rows_that_do_not_match_the_header_or_are_not_utf8_are_errors(tmp_path):
    dump = tmp_path / "dump.csv"
    dump.write_bytes(
        b"id,text\n"
        b"a,Apple kauft Beats.\n"
        b"b,Samsung,extra field\n"
        b"c,Caf\xe9 in Berlin\n"
        b"d,Huawei zeigt das Mate 40 Pro.\n"
    )
    articles = read(dump)
    assert [a.id for a in articles] == ["a", "b", f"{dump}:3", "d"]
    assert [a.error and a.error.reason for a in articles] == [None, "broken_line", "not_text", None]


def ten_articles() -> list[dict]:
    return [{"id": f"a{n}", "text": f"Artikel {n}: Apple, Samsung und Xiaomi."} for n in range(1, 11)]


def broken_sixth(items: list[str], broken: str, separator: str) -> str:
    return "[" + separator.join([*items[:5], broken, *items[6:]]) + "]"


@pytest.mark.parametrize(
    "layout",
    ["one item a line, a quote not closed", "one line, a bad token", "indented, a stray brace"],
)
def test_a_broken_json_array_item_is_one_error_and_the_items_after_it_are_read(tmp_path, layout):
    # The array used to be read by one streaming parser, which stopped at item 6: 7 to 10 lost.
    items = [json.dumps(item, ensure_ascii=False) for item in ten_articles()]
    if layout.startswith("one item a line"):
        text = broken_sixth(items, '{"id": "a6", "text": "Artikel 6: Apple}', ",\n")
    elif layout.startswith("one line"):
        text = broken_sixth(items, '{"id": "a6", "text": Apple}', ", ")
    else:
        items = [json.dumps(item, indent=2) for item in ten_articles()]
        text = broken_sixth(items, '{\n  "id": "a6"}},\n  "text": "x"\n}', ",\n")
    dump = tmp_path / "dump.json"
    dump.write_text(text, encoding="utf-8")
    articles = read(dump)
    errors = [a for a in articles if a.error]
    assert [a.id for a in articles if not a.error] == [f"a{n}" for n in (1, 2, 3, 4, 5, 7, 8, 9, 10)]
    assert [(a.id, a.error.reason) for a in errors] == [(f"{dump}:6", "broken_line")]


def test_a_json_array_cut_between_items_says_so(tmp_path):
    dump = tmp_path / "dump.json"
    dump.write_text(json.dumps(ten_articles())[:-1], encoding="utf-8")  # no closing ]
    *good, last = read(dump)
    assert len(good) == 10 and not any(a.error for a in good)
    assert last.error.reason == "broken_line" and "closing ]" in last.error.message


def test_an_unclosed_csv_quote_is_one_error_and_the_rows_after_it_are_read(tmp_path):
    # It swallowed the rows after it into one field: 1 record for 4 articles.
    dump = tmp_path / "dump.csv"
    dump.write_text(
        'id,text\na,Apple kauft Beats.\nb,"Samsung zeigt\nc,Huawei zeigt das Mate 40 Pro.\nd,Xiaomi.\n',
        encoding="utf-8",
    )
    articles = read(dump)
    assert [(a.id, a.error and a.error.reason) for a in articles] == [
        ("a", None),
        (f"{dump}:2", "broken_line"),
        ("c", None),
        ("d", None),
    ]
    assert articles[1].error.line == 3 and articles[2].line == 4


def test_an_unclosed_csv_quote_before_quoted_rows_costs_only_its_row(tmp_path):
    dump = tmp_path / "dump.csv"
    rows = [["a", "Apple, Beats"], ["b", '"Samsung'], ["c", "Huawei, Honor"], ["d", 'Das "Mate"']]
    with dump.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["id", "text"])
        for row_id, text in rows:
            file.write(f"{row_id},{text}\n") if row_id == "b" else writer.writerow([row_id, text])
    articles = read(dump)
    assert [a.id for a in articles if not a.error] == ["a", "c", "d"]
    assert articles[2].text == "Huawei, Honor" and articles[3].text == 'Das "Mate"'
    assert [a.id for a in articles if a.error] == [f"{dump}:2"]


def test_quoted_csv_fields_over_several_lines_are_still_one_row(tmp_path):
    dump = tmp_path / "dump.csv"
    write_csv(
        dump, [{"id": "a", "text": "Absatz eins.\n\nAbsatz zwei, mit Komma."}, {"id": "b", "text": "x"}]
    )
    assert [(a.id, a.text) for a in read(dump)] == [
        ("a", "Absatz eins.\n\nAbsatz zwei, mit Komma."),
        ("b", "x"),
    ]


BOMB = b"\x00" * 3_000_000  # as a record, over the limit of 100,000 bytes below


@pytest.mark.parametrize(
    ("name", "before", "after"),
    [
        (
            "dump.jsonl",
            b'{"id": "a", "text": "Apple."}\n{"id": "b", "text": "',
            b'"}\n{"id": "c", "text": "Sony."}\n',
        ),
        (
            "dump.json",
            b'[{"id": "a", "text": "Apple."}, {"id": "b", "text": "',
            b'"}, {"id": "c", "text": "Sony."}]',
        ),
        ("dump.csv", b'id,text\na,Apple.\nb,"', b'"\nc,Sony.\n'),
        ("article.txt", b"", b""),
        ("page.html", b"<html><body><p>", b"</p></body></html>"),
        ("object.json", b'{"id": "b", "text": "', b'"}'),
    ],
)
def test_a_record_over_the_size_limit_is_too_large_and_reading_goes_on(tmp_path, name, before, after):
    # Each used to be read whole: a 10 MB gzip of NUL bytes passed 6 GB of memory.
    dump = tmp_path / f"{name}.gz"
    dump.write_bytes(gzip.compress(before + BOMB + after))
    articles = read(dump, max_record_bytes=100_000)
    reasons = [a.error and a.error.reason for a in articles]
    assert reasons.count("too_large") == 1 and reasons.count(None) == len(articles) - 1
    assert "100,000 bytes" in next(a for a in articles if a.error).error.message
    if name.startswith("dump"):
        assert [a.id for a in articles if not a.error] == ["a", "c"]


def test_records_within_the_size_limit_are_read_as_before(tmp_path):
    limit = max(len(line) for line in ARTICLES.read_bytes().splitlines(keepends=True))
    assert contents(read(ARTICLES, max_record_bytes=limit)) == contents(read(ARTICLES))
    with pytest.raises(ValueError, match="at least 1"):
        read(ARTICLES, max_record_bytes=0)


def article_folder(root: Path) -> Path:
    folder = root / "crawl"
    (folder / "2026").mkdir(parents=True)
    (folder / "2026" / "a.txt").write_text("Apple kauft Beats.", encoding="utf-8")
    return folder


def test_a_glob_over_a_symlink_loop_ends_and_reads_each_file_once(tmp_path):
    # `**` followed the loop: 0 records after 120 s, 900 MB and growing.
    folder = article_folder(tmp_path)
    (folder / "2026" / "up").symlink_to("..")
    for follow in (False, True):
        articles = read(folder / "**" / "*.txt", follow_symlinks=follow)
        assert [(a.id, a.text) for a in articles] == [(f"{folder}/2026/a.txt", "Apple kauft Beats.")]
        assert [a.id for a in read(folder, follow_symlinks=follow)] == [f"{folder}/2026/a.txt"]


def test_links_to_files_outside_the_input_are_not_read_unless_asked(tmp_path):
    # A link to /etc/os-release in an input folder was read as an article.
    folder = article_folder(tmp_path)
    secret = tmp_path / "private" / "notes.txt"
    secret.parent.mkdir()
    secret.write_text("Vertraulich: Sony kauft Ubisoft.", encoding="utf-8")
    (folder / "notes.txt").symlink_to(secret)
    (folder / "private").symlink_to(secret.parent)
    (folder / "alias.txt").symlink_to(folder / "2026" / "a.txt")  # inside: read by its own path
    for articles in (read(folder), read(f"{folder}/**/*.txt")):
        assert [a.id for a in articles if not a.error] == [f"{folder}/2026/a.txt"]
        refused = {a.id: a.error.reason for a in articles if a.error}
        assert refused == {f"{folder}/notes.txt": "not_followed", f"{folder}/private": "not_followed"}
        assert not any(a.text and "Vertraulich" in a.text for a in articles)
    followed = read(folder, follow_symlinks=True)
    assert [a.id for a in followed] == [
        f"{folder}/2026/a.txt", f"{folder}/alias.txt", f"{folder}/notes.txt", f"{folder}/private/notes.txt"
    ]  # fmt: skip
    assert not any(a.error for a in followed)


def test_a_folder_named_through_its_parent_is_read(tmp_path, monkeypatch):
    # Every file under a path with `..` counted as hidden: nothing was read.
    folder = article_folder(tmp_path)
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    assert [a.text for a in read("../crawl")] == ["Apple kauft Beats."]
    assert [a.text for a in read("../crawl/**/*.txt")] == ["Apple kauft Beats."]
    assert not read(folder / "**" / "*.jsonl")[0].text  # matches nothing: one missing_file record


@pytest.mark.parametrize("name", ["dump", "dump.json"])
def test_white_space_over_the_size_limit_is_too_large(tmp_path, name):
    # Looking for the first character (to tell a JSON array) read white space without bound.
    dump = tmp_path / f"{name}.gz"
    dump.write_bytes(gzip.compress(b" " * 3_000_000 + b'{"id": "a", "text": "Apple."}'))
    (article,) = read(dump, max_record_bytes=100_000)
    assert article.error.reason == "too_large"


def test_articles_wrapped_in_a_json_document_are_read_from_the_records_path(tmp_path):
    export = tmp_path / "export.json"
    wrapped = {"status": "ok", "data": {"total": 5, "items": fixture_objects()}}
    export.write_text(json.dumps(wrapped, ensure_ascii=False), encoding="utf-8")
    articles = read(export, mapping=FieldMapping(records_path="data.items"))
    assert contents(articles) == contents(read(ARTICLES))
    (unwrapped,) = read(export)  # without the path: one record that says where to look
    assert unwrapped.error is not None and unwrapped.error.reason == "missing_field"
    (wrong,) = read(export, mapping=FieldMapping(records_path="articles"))
    assert wrong.error is not None and "no articles at --records-path 'articles'" in wrong.error.message


def test_a_wrapped_export_cut_short_keeps_its_articles_and_ends_in_one_error(tmp_path):
    export = tmp_path / "export.json"
    export.write_text('{"articles": [{"id": "a", "text": "Apple."}, {"id": "b", "te', encoding="utf-8")
    first, broken = read(export, mapping=FieldMapping(records_path="articles"))
    assert (first.id, first.text) == ("a", "Apple.")
    assert broken.error is not None and broken.error.reason == "broken_line"
