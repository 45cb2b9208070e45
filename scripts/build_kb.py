"""Rebuild the knowledge base in src/technews/data/kb from its sources.

Sources: the curated entries in kb/curated/ (written for technews) and the
Google Play supported devices list in ../shared/data/devices/ (brands and
marketing names). Curated entries win over derived ones.

    python scripts/build_kb.py [--devices CSV] [--out DIR]

wordfreq (``pip install .[build-kb]``) flags brand and line names that are
also common words; without it a smaller built-in check is used.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CURATED = ROOT / "kb" / "curated"
DEFAULT_DEVICES = (
    ROOT.parent / "shared" / "data" / "devices" / ("google_play_supported_devices_2025-01-19.csv")
)
DEFAULT_OUT = ROOT / "src" / "technews" / "data" / "kb"

MIN_DEVICES_PER_BRAND = 20  # smaller brands are mostly white-label makers
MIN_MODELS_PER_LINE = 3
# Retail brandings of the device list that news writes differently.
BRAND_SPELLINGS = {
    "LGE": "LG",
    "TCT (Alcatel)": "Alcatel",
    "realme": "Realme",
    "BQru": "BQ",
    "Sky Devices": "Sky",
    "HMD Global": "HMD",
}
CJK = re.compile(r"[\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]+")
CODE_LIKE = re.compile(r"^[A-Z0-9]*\d[A-Z0-9]*(?:-[A-Z0-9]+)*$")  # RMX3268, SM-G991B


def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_jsonl(path: Path, records: Iterable[dict]) -> int:
    rows = [json.dumps(record, ensure_ascii=False, sort_keys=True) for record in records]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return len(rows)


def is_common_word(word: str) -> bool:
    """A name that is also an everyday German or English word (Condor, Smart, Note)."""
    try:
        from wordfreq import zipf_frequency
    except ImportError:
        return word.lower() in {"smart", "note", "one", "mini", "tab", "pad", "max", "plus", "fly"}
    lower = word.lower()
    return zipf_frequency(lower, "de") >= 3.0 or zipf_frequency(lower, "en") >= 4.0


def genitive_forms(name: str) -> list[str]:
    """German genitive forms: Apple -> Apples; Deutsche Telekom -> Deutschen Telekom."""
    if name.startswith("Deutsche "):  # an adjective declines instead: der Deutschen Telekom
        return ["Deutschen " + name.removeprefix("Deutsche ")]
    last = name[-1]
    if last.isalpha() and last.lower() not in "sxzß" and not name.isupper():
        return [name + "s"]
    return []


def clean_marketing_name(name: str, brand: str, lines: frozenset[str] = frozenset()) -> str | None:
    """Normalise a marketing name; None for codes and names that are no product name."""
    name = CJK.sub(" ", name)
    name = re.sub(r"\s+", " ", name).strip(" \t-/")
    if not name or len(name) > 30 or "/" in name:
        return None
    tokens = name.split(" ")
    if tokens[0].lower() == brand.lower():
        rest = tokens[1:]
        if not rest:
            return None
        # "HUAWEI Mate 20" -> "Mate 20" (Mate is a line); "Xiaomi 12 Ultra" and
        # "Redmi Note 7" keep their brand.
        tokens = rest if rest[0] in lines else [brand, *rest]
    name = " ".join(tokens)
    if not any(ch.isdigit() for ch in name) or not re.search(r"[A-Za-z]{2}", name):
        return None
    if CODE_LIKE.match(tokens[0].upper()) and tokens[0] != brand:
        return None
    if any(word in name for word in ("Emulator", "Emualtor", "Chromebook", "Chromebox", "TV")):
        return None
    return name


def device_rows(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8") as csv_file:
        return [
            (
                BRAND_SPELLINGS.get(row["Retail Branding"].strip(), row["Retail Branding"].strip()),
                row["Marketing Name"],
            )
            for row in csv.DictReader(csv_file)
            if row["Retail Branding"].strip()
        ]


def build(devices: Path, out: Path) -> dict[str, int]:
    organizations = {org["name"]: org for org in read_jsonl(CURATED / "organizations.jsonl")}
    known_org = {
        form.lower(): org["name"]
        for org in organizations.values()
        for form in (org["name"], *org.get("aliases", []))
    }
    lines = {line["name"]: line for line in read_jsonl(CURATED / "product_lines.jsonl")}
    products = {product["name"]: product for product in read_jsonl(CURATED / "products.jsonl")}
    non_entities = {
        t.strip()
        for t in (CURATED / "non_entities.txt").read_text(encoding="utf-8").splitlines()
        if t.strip() and not t.startswith("#")
    }

    curated_lines = frozenset(lines)
    rows = device_rows(devices)
    brand_sizes = Counter(brand.lower() for brand, _ in rows)
    line_models: dict[tuple[str, str], int] = defaultdict(int)
    for brand, marketing_name in rows:
        if brand_sizes[brand.lower()] < MIN_DEVICES_PER_BRAND or brand in non_entities:
            continue
        maker = known_org.get(brand.lower())
        if maker is None:
            maker = brand
            organizations[brand] = {
                "name": brand,
                "aliases": [],
                "country": None,
                "parent": None,
                "kind": "brand",
                "sector": "smartphones",
                "ambiguous": is_common_word(brand),
            }
            known_org[brand.lower()] = brand
        name = clean_marketing_name(marketing_name, maker, curated_lines)
        if name is None or name in products:
            continue
        products[name] = {
            "name": name,
            "maker": maker,
            "aliases": [],
            "category": "device",
            "also_org": False,
        }
        first = name.split(" ")[0]
        if first != maker and first.isalpha() and len(first) >= 3:
            line_models[(first, maker)] += 1

    for (line, maker), models in line_models.items():
        if (
            models >= MIN_MODELS_PER_LINE
            and line not in lines
            and line.lower() not in known_org
            and line not in non_entities
            and not is_common_word(line)
        ):
            lines[line] = {"name": line, "maker": maker, "standalone": False, "category": "device"}

    for org in organizations.values():
        org.setdefault("aliases", [])
        org["forms"] = sorted(
            {form for name in (org["name"], *org["aliases"]) for form in genitive_forms(name)}
            - set(org["aliases"])
        )

    out.mkdir(parents=True, exist_ok=True)
    counts = {
        "organizations": write_jsonl(out / "organizations.jsonl", organizations.values()),
        "product_lines": write_jsonl(out / "product_lines.jsonl", lines.values()),
        "products": write_jsonl(out / "products.jsonl", products.values()),
        "places": write_jsonl(out / "places.jsonl", read_jsonl(CURATED / "places.jsonl")),
        "people": write_jsonl(out / "people.jsonl", read_jsonl(CURATED / "people.jsonl")),
    }
    (out / "non_entities.txt").write_text("\n".join(sorted(non_entities)) + "\n", encoding="utf-8")
    counts["non_entities"] = len(non_entities)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=Path, default=DEFAULT_DEVICES)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    for table, count in build(args.devices, args.out).items():
        print(f"{table}: {count}")


if __name__ == "__main__":
    main()
