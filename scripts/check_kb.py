"""Check curated knowledge-base files before they enter kb/curated/.

    python scripts/check_kb.py kb/curated/organizations/at_companies.jsonl [...]

Each file is checked against the table its folder names: the fields and their values,
ISO country codes, names and aliases that another entry already uses (in any file of
kb/curated/ or kb/pending/), parents and makers that no organization there names. Errors make
the exit status 1; warnings (a name that is also a common word and not flagged
``ambiguous``) are printed for the annotator to decide.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CURATED = ROOT / "kb" / "curated"
PENDING = ROOT / "kb" / "pending"  # checked together with curated/: entries wait there for a rebuild

ORG_KINDS = {
    "company", "brand", "media", "authority", "court", "party", "association",
    "university", "research", "other",
}  # fmt: skip
PRODUCT_CATEGORIES = {
    "app", "ai_model", "audio", "camera", "chip", "console", "device", "game", "laptop",
    "os", "other", "platform", "service", "smartphone", "software", "tablet", "tv",
    "vehicle", "wearable",
}  # fmt: skip
PLACE_KINDS = {"city", "country", "region", "state", "landmark_place", "continent", "district"}
# Not ISO 3166 alpha-2 but used for bodies of no single country.
EXTRA_COUNTRIES = {"EU", "XK"}
FIELDS = {
    "organizations": {"name": str, "aliases": list, "country": (str, type(None)),
                      "parent": (str, type(None)), "kind": str, "sector": str},
    "products": {"name": str, "maker": (str, type(None)), "aliases": list, "category": str,
                 "also_org": bool},
    "people": {"name": str, "aliases": list, "organization": (str, type(None)), "role": str},
    "places": {"name": str, "aliases": list, "kind": str, "country": (str, type(None))},
    "product_lines": {"name": str, "maker": str, "standalone": bool, "category": str},
}  # fmt: skip
OPTIONAL = {"ambiguous": bool}


def iso_countries() -> set[str]:
    try:
        import pycountry
    except ImportError:
        return set()
    return {country.alpha_2 for country in pycountry.countries}


def is_common_word(name: str) -> bool:
    """A German everyday noun (`Kurier`, `Standard`, `Post`), by the lexicon's common nouns."""
    from technews.lexicon import default_lexicon

    return name in default_lexicon().common_nouns


def entry_errors(table: str, entry: dict, countries: set[str]) -> list[str]:
    errors = []
    fields = FIELDS[table]
    for field, kind in fields.items():
        if field not in entry:
            errors.append(f"missing field {field!r}")
        elif not isinstance(entry[field], kind):
            errors.append(f"{field!r} has the wrong type")
    for field in set(entry) - set(fields) - set(OPTIONAL):
        errors.append(f"unknown field {field!r}")
    if errors:
        return errors
    if not entry["name"].strip() or entry["name"] != entry["name"].strip():
        errors.append("name empty or padded")
    if any(not isinstance(alias, str) or not alias.strip() for alias in entry.get("aliases", [])):
        errors.append("an alias is empty or not a string")
    if entry["name"] in entry.get("aliases", []):
        errors.append("the name is also an alias")
    country = entry.get("country")
    if countries and country is not None and country not in countries | EXTRA_COUNTRIES:
        errors.append(f"country {country!r} is no ISO 3166 alpha-2 code")
    allowed = {"organizations": ORG_KINDS, "places": PLACE_KINDS}.get(table)
    if allowed and entry["kind"] not in allowed:
        errors.append(f"kind {entry['kind']!r} not in {sorted(allowed)}")
    if table in ("products", "product_lines") and entry["category"] not in PRODUCT_CATEGORIES:
        errors.append(f"category {entry['category']!r} not in {sorted(PRODUCT_CATEGORIES)}")
    return errors


def surface_forms(entry: dict) -> list[str]:
    return [entry["name"], *entry.get("aliases", [])]


def check(paths: list[Path]) -> int:
    countries = iso_countries()
    checked = {path.resolve() for path in paths}
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)  # (table, form) -> files
    org_names: set[str] = set()
    for table in FIELDS:
        for path in sorted([*(CURATED / table).glob("*.jsonl"), *(PENDING / table).glob("*.jsonl")]):
            for line in path.read_text(encoding="utf-8").splitlines():
                try:
                    entry = json.loads(line)
                    forms = surface_forms(entry)
                except (json.JSONDecodeError, KeyError, TypeError):
                    continue
                for form in forms:
                    owners[(table, str(form))].add(f"{path.name}:{entry.get('name')}")
                if table == "organizations":
                    org_names.add(entry["name"])
    n_errors = 0
    for path in paths:
        table = path.resolve().parent.name
        if table not in FIELDS:
            print(f"{path}: not in a folder of kb/curated/ named after a table ({', '.join(FIELDS)})")
            n_errors += 1
            continue
        seen: set[str] = set()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            where = f"{path}:{number}"
            try:
                entry = json.loads(line)
            except json.JSONDecodeError as error:
                print(f"{where}: not JSON ({error})")
                n_errors += 1
                continue
            errors = entry_errors(table, entry, countries)
            if not errors:
                for form in surface_forms(entry):
                    if form in seen:
                        errors.append(f"{form!r} twice in this file")
                    seen.add(form)
                    others = {o for o in owners[(table, form)] if not o.startswith(f"{path.name}:")}
                    if others:
                        errors.append(f"{form!r} already in {sorted(others)[0]}")
                reference = entry.get("parent") if table == "organizations" else entry.get("maker")
                if table != "people" and reference and reference not in org_names:
                    errors.append(f"{reference!r} is no organization of kb/curated/organizations")
                if not entry.get("ambiguous") and is_common_word(entry["name"]):
                    print(f"{where}: warning: {entry['name']!r} is a common word; flag it ambiguous?")
            for error in errors:
                print(f"{where}: {error}")
            n_errors += len(errors)
        if path.resolve() in checked:
            print(f"{path}: {len(seen)} names and aliases checked")
    print(f"{n_errors} errors")
    return n_errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    sys.exit(1 if check(parser.parse_args().files) else 0)


if __name__ == "__main__":
    main()
