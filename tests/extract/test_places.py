"""The offline gazetteer of Syria and place resolution in English and Arabic sentences.

Sentences here are written for the tests in the style of the corpus; the corpus itself is read from ../shared.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tawthiq.extract.gazetteer import normalise, normalise_name
from tawthiq.extract.places import Gazetteer, find_places
from tawthiq.model import Place, WherePrecision

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
GOVERNORATES = ["Aleppo", "Al-Hasakah", "As-Suwayda", "Damascus", "Daraa", "Deir ez-Zor", "Hama", "Homs", "Idlib",
                "Latakia", "Quneitra", "Raqqa", "Rif Dimashq", "Tartus"]


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def by_text(places: list[Place]) -> dict[str, Place]:
    return {p.text: p for p in places}


# --- the cases the issue names ------------------------------------------------------------------------------------


def test_unknown_village_in_latakia_countryside_is_kept_with_its_parent(gaz: Gazetteer) -> None:
    places = by_text(gaz.find_places("Gunmen shot two farmers in the village of Beit Aana in the Latakia countryside."))
    village = places["Beit Aana"]
    assert (village.name, village.admin1, village.parent) == ("Beit Aana", "Latakia", "Latakia countryside")
    assert village.where_prec is WherePrecision.REGION
    countryside = places["Latakia"]
    assert (countryside.name, countryside.admin1, countryside.where_prec) == (
        "Latakia countryside", "Latakia", WherePrecision.REGION)
    assert village.latitude == countryside.latitude and village.latitude is not None


def test_neighbourhood_of_a_coastal_city_takes_the_city_as_parent(gaz: Gazetteer) -> None:
    places = by_text(gaz.find_places("Troops entered the neighbourhood of Qusour in the coastal city of Baniyas."))
    qusour, baniyas = places["Qusour"], places["Baniyas"]
    assert (qusour.parent, qusour.admin1, qusour.where_prec) == ("Baniyas", "Tartus", WherePrecision.NEAR)
    assert (qusour.latitude, qusour.longitude) == (baniyas.latitude, baniyas.longitude)
    assert baniyas.where_prec is WherePrecision.EXACT and baniyas.geonameid is not None


@pytest.mark.parametrize("sentence", [
    "Homes were burnt in Qusour, Baniyas, on the second night.",
    "Homes were burnt in Qusour in the coastal city of Baniyas.",
])
def test_unknown_place_stated_to_lie_in_a_town(gaz: Gazetteer, sentence: str) -> None:
    qusour = by_text(gaz.find_places(sentence))["Qusour"]
    assert (qusour.parent, qusour.admin1, qusour.where_prec) == ("Baniyas", "Tartus", WherePrecision.NEAR)


@pytest.mark.parametrize("sentence", [
    "A man said his neighbours in a town in the governorate of Hama were taken away.",
    "A man said his neighbours in a town in Hama governorate were taken away.",
    "A man said his neighbours in a town in Hama province were taken away.",
])
def test_governorate_cue_gives_admin1_precision(gaz: Gazetteer, sentence: str) -> None:
    (hama,) = gaz.find_places(sentence)
    assert (hama.name, hama.admin1, hama.where_prec, hama.text) == ("Hama", "Hama", WherePrecision.ADMIN1, "Hama")


def test_houla_is_in_homs_governorate(gaz: Gazetteer) -> None:
    for sentence in ("In 2012 militiamen killed more than 100 people in the village of Houla.",
                     "Al-Houla was shelled for hours.", "ارتكبت مجزرة في منطقة الحولة شمال غربي حمص"):
        houla = gaz.find_places(sentence)[0]
        assert (houla.name, houla.admin1, houla.country) == ("Houla", "Homs", "SY")
        assert houla.where_prec is WherePrecision.NEAR and houla.latitude is not None
    taldou = by_text(gaz.find_places("Families were killed in Taldou."))["Taldou"]
    assert taldou.admin1 == "Homs" and taldou.where_prec is WherePrecision.EXACT


def test_two_governorates_in_one_phrase(gaz: Gazetteer) -> None:
    sentence = "Most killings were in the governorates of Latakia and Tartus along the Mediterranean coast."
    places = gaz.find_places(sentence)
    assert [(p.name, p.where_prec) for p in places[:2]] == [
        ("Latakia", WherePrecision.ADMIN1), ("Tartus", WherePrecision.ADMIN1)]
    coast = places[2]
    assert (coast.name, coast.admin1, coast.where_prec, coast.country) == (
        "Syrian coast", None, WherePrecision.REGION, "SY")


def test_plural_after_a_list_applies_to_the_whole_list(gaz: Gazetteer) -> None:
    places = gaz.find_places("Convoys reached Deir ez-Zor, Al-Hasakah and Raqqa provinces.")
    assert [(p.name, p.where_prec) for p in places] == [
        ("Deir ez-Zor", WherePrecision.ADMIN1), ("Al-Hasakah", WherePrecision.ADMIN1), ("Raqqa", WherePrecision.ADMIN1)]


def test_bare_city_is_exact_and_countryside_is_region(gaz: Gazetteer) -> None:
    places = gaz.find_places("Clashes spread from Jableh to the countryside around the cities of Homs and Hama.")
    assert [(p.name, p.admin1, p.where_prec) for p in places] == [
        ("Jablah", "Latakia", WherePrecision.EXACT),
        ("Homs countryside", "Homs", WherePrecision.REGION),
        ("Hama countryside", "Hama", WherePrecision.REGION),
    ]


def test_countryside_of_damascus_is_rif_dimashq(gaz: Gazetteer) -> None:
    for sentence in ("Raids continued in rural Damascus.", "Raids continued in the Damascus countryside.",
                     "استمرت المداهمات في ريف دمشق"):
        (place,) = gaz.find_places(sentence)
        assert (place.name, place.admin1, place.where_prec) == ("Rif Dimashq", "Rif Dimashq", WherePrecision.ADMIN1)


def test_syria_is_country_precision(gaz: Gazetteer) -> None:
    (syria,) = gaz.find_places("Violence unfolded in Syria's west last week.")
    assert (syria.name, syria.where_prec, syria.country, syria.text) == ("Syria", WherePrecision.COUNTRY, "SY", "Syria")


# --- what must not become a place in Syria ------------------------------------------------------------------------


def test_people_days_sects_and_organisations_are_not_places(gaz: Gazetteer) -> None:
    sentence = ("On Friday, Rabia Hassan, an Alawite, and a Sunni cleric told the Syrian Observatory for Human Rights "
                "and Chatham House that General Security had detained Munir and Anas.")
    assert gaz.find_places(sentence) == []


def test_organisation_named_after_a_city_is_not_a_place(gaz: Gazetteer) -> None:
    assert gaz.find_places("The Aleppo Media Center and the Idlib-based group issued statements.") == []


@pytest.mark.parametrize(("sentence", "name", "country"), [
    ("An analyst at the think tank in London said so.", "London", "GB"),
    ("He spoke by phone from Istanbul.", "Istanbul", "TR"),
    ("A breeze came in from the Mediterranean Sea.", "Mediterranean Sea", None),
    ("Egypt condemned the attack.", "Egypt", "EG"),
    ("Israel struck the ministry.", "Israel", "IL"),
    ("فرّ آلاف إلى لبنان", "Lebanon", "LB"),
])
def test_places_outside_syria_are_never_placed_in_syria(gaz: Gazetteer, sentence: str, name: str,
                                                         country: str | None) -> None:
    (place,) = gaz.find_places(sentence)
    assert (place.name, place.country, place.admin1, place.latitude) == (name, country, None, None)


def test_arabic_common_words_are_not_places(gaz: Gazetteer) -> None:
    # "the door", "the revolution", "the peaceful", "identity", "the reference", "169 Syrians"
    sentence = "تجدر الإشارة إلى أن الباب فتح أمام الثورة السلمية، وقتل مجهولا الهوية و169 سورياً."
    assert gaz.find_places(sentence) == []


def test_ambiguous_name_needs_a_place_word(gaz: Gazetteer) -> None:
    assert gaz.find_places("طرق الباب") == []
    (al_bab,) = gaz.find_places("قصفت الطائرات مدينة الباب")
    assert (al_bab.name, al_bab.admin1, al_bab.where_prec) == ("Al Bab", "Aleppo", WherePrecision.EXACT)


# --- Arabic ------------------------------------------------------------------------------------------------------


def test_arabic_breakdown_under_tartus(gaz: Gazetteer) -> None:
    sentence = "قتل 16 شخصا في محافظة طرطوس، توزعوا كالآتي: 2 في بانياس، 7 قرية أرزونة، 7 في قرية بصارمون."
    places = by_text(gaz.find_places(sentence))
    assert (places["طرطوس"].name, places["طرطوس"].where_prec) == ("Tartus", WherePrecision.ADMIN1)
    assert (places["بانياس"].name, places["بانياس"].admin1) == ("Baniyas", "Tartus")
    for village in ("أرزونة", "بصارمون"):
        assert (places[village].name, places[village].admin1, places[village].parent) == (village, "Tartus", "Tartus")
        assert places[village].where_prec is WherePrecision.ADMIN1


def test_arabic_breakdown_under_latakia(gaz: Gazetteer) -> None:
    places = by_text(gaz.find_places("و41 مواطنا في اللاذقية: 3 في قرية الشراشير، و38 في الشلفطية."))
    for village in ("الشراشير", "الشلفطية"):
        assert places[village].admin1 == "Latakia" and places[village].where_prec is WherePrecision.ADMIN1


def test_arabic_countryside_governorate_and_clitics(gaz: Gazetteer) -> None:
    cases = {
        "قتل ثلاثة بريف اللاذقية": ("Latakia countryside", "Latakia", WherePrecision.REGION),
        "الذكرى العاشرة للمجزرة في ريف حمص": ("Homs countryside", "Homs", WherePrecision.REGION),
        "قتل خمسة في محافظة طرطوس": ("Tartus", "Tartus", WherePrecision.ADMIN1),
        "اشتباكات في السويداء": ("As-Suwayda", "As-Suwayda", WherePrecision.EXACT),
        "وصلت التعزيزات إلى محافظة السويداء": ("As-Suwayda", "As-Suwayda", WherePrecision.ADMIN1),
        "عاد الهدوء إلى بانياس وبـجبلة": ("Baniyas", "Tartus", WherePrecision.EXACT),
        "وفي حماة قتل اثنان": ("Hama", "Hama", WherePrecision.EXACT),
    }
    for sentence, expected in cases.items():
        first = gaz.find_places(sentence)[0]
        assert (first.name, first.admin1, first.where_prec) == expected, sentence


def test_arabic_spans_keep_the_original_spelling(gaz: Gazetteer) -> None:
    sentence = "قُتل اثنان بـاللاذقيّة وفي إدلب"
    places = gaz.find_places(sentence)
    assert [p.text for p in places] == ["اللاذقيّة", "إدلب"]
    assert all(sentence[p.span.start:p.span.end] == p.text for p in places if p.span)
    assert [p.admin1 for p in places] == ["Latakia", "Idlib"]


def test_arabic_village_with_a_two_word_name_and_its_countryside(gaz: Gazetteer) -> None:
    places = by_text(gaz.find_places("قتل شخصان في قرية قبو العوامية بريف اللاذقية"))
    village = places["قبو العوامية"]
    assert (village.admin1, village.parent, village.where_prec) == ("Latakia", "Latakia countryside",
                                                                    WherePrecision.REGION)


def test_arabic_corpus_breakdown_is_read_from_the_page() -> None:
    page = SHARED / "corpus-ar" / "04_beirut24-sohr-coast-2146.html"
    if not page.exists():
        pytest.skip("shared Arabic corpus not present")
    text = re.sub(r"<[^>]+>", "\n", page.read_text(encoding="utf-8"))
    places = [p for line in text.splitlines() for p in find_places(line)]
    admin1 = {p.text: p.admin1 for p in places}
    assert admin1["أرزونة"] == admin1["بصرمون"] == admin1["بانياس"] == "Tartus"
    assert admin1["الشراشير"] == admin1["الشلفاطية"] == "Latakia"
    assert all(p.country != "SY" or p.admin1 in GOVERNORATES or p.name == "Syrian coast" for p in places)


# --- lookups, polygons ---------------------------------------------------------------------------------------------


def test_governorates_and_geojson(gaz: Gazetteer) -> None:
    assert gaz.governorates() == sorted(GOVERNORATES)
    geojson = gaz.governorate_geojson()
    assert sorted(f["properties"]["name"] for f in geojson["features"]) == sorted(GOVERNORATES)
    assert all(f["properties"]["name_ar"] for f in geojson["features"])
    geojson["features"].clear()  # a copy: the gazetteer's own is untouched
    assert len(gaz.governorate_geojson()["features"]) == 14


def test_admin1_at_places_every_gazetteer_town_in_its_governorate(gaz: Gazetteer) -> None:
    towns = [e for e in gaz.data.by_geonameid.values()]
    assert len(towns) > 300
    assert all(gaz.admin1_at(e.latitude or 0.0, e.longitude or 0.0) == e.admin1 for e in towns)
    assert gaz.admin1_at(51.5, -0.12) is None  # London


@pytest.mark.parametrize(("lat", "lon", "admin1"), [
    (35.52, 35.79, "Latakia"), (35.18, 35.95, "Tartus"), (34.73, 36.71, "Homs"), (32.71, 36.57, "As-Suwayda"),
])
def test_admin1_at_known_points(gaz: Gazetteer, lat: float, lon: float, admin1: str) -> None:
    assert gaz.admin1_at(lat, lon) == admin1


def test_resolve_spellings_and_parents(gaz: Gazetteer) -> None:
    for name in ("Banias", "Baniyas", "بانياس", "Bāniyās"):
        place = gaz.resolve(name)
        assert place is not None and (place.name, place.admin1) == ("Baniyas", "Tartus"), name
    for name in ("Lattakia", "Al-Ladhiqiyah", "اللاذقية"):
        place = gaz.resolve(name)
        assert place is not None and place.admin1 == "Latakia"
    qusour = gaz.resolve("Qusour", parent="Baniyas")
    assert qusour is not None and (qusour.parent, qusour.admin1, qusour.where_prec) == (
        "Baniyas", "Tartus", WherePrecision.NEAR)
    assert gaz.resolve("Qusour") is None
    for spelling in ("Sweida", "Suwayda", "As-Suwayda", "السويداء"):
        sweida = gaz.resolve(spelling)
        assert sweida is not None and sweida.admin1 == "As-Suwayda"


def test_as_governorate_widens_a_capital(gaz: Gazetteer) -> None:
    (latakia,) = gaz.find_places("– اللاذقية: 836.")
    widened = gaz.as_governorate(latakia)
    assert widened is not None
    assert (widened.name, widened.where_prec, widened.span) == ("Latakia", WherePrecision.ADMIN1, latakia.span)


def test_load_is_cached() -> None:
    assert Gazetteer.load() is Gazetteer.load()


def test_non_text_input_is_refused(gaz: Gazetteer) -> None:
    with pytest.raises(TypeError, match="str sentence"):
        gaz.find_places(b"Homs")  # type: ignore[arg-type]


# --- properties -----------------------------------------------------------------------------------------------------

_FRAGMENTS = ["Latakia", "Homs", "Qusour", "the village of ", " in the ", "countryside", "governorate of ", "Al-",
              "في ", "بريف ", "اللاذقيّة", "قرية ", "محافظة ", "و", "ـ", "ً", "’s", ", ", "7 in ", "3 في ", "İ", "ﻻ",
              "Ḩamāh", "\u200f", "Rif Dimashq", "Damascus countryside", "Hama and Idlib provinces"]
_TEXT = st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=6)), max_size=14).map("".join)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_find_places_never_raises_and_spans_slice_back(sentence: str) -> None:
    for place in find_places(sentence):
        assert place.span is not None
        assert sentence[place.span.start:place.span.end] == place.text
        assert place.text.strip()
        if place.admin1 is not None:
            assert place.admin1 in GOVERNORATES and place.country == "SY"


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_normalisation_is_idempotent_and_maps_back(text: str) -> None:
    norm, offsets = normalise(text)
    assert normalise_name(norm) == norm
    if offsets is None:
        assert len(norm) == len(text)
    else:
        assert len(offsets) == len(norm)
        assert offsets == sorted(offsets) and all(0 <= o < len(text) for o in offsets)


@given(st.sampled_from(["أ", "إ", "آ", "ا"]), st.sampled_from(["ة", "ه"]), st.sampled_from(["ى", "ي"]))
def test_arabic_letter_variants_match_the_same(alef: str, ta: str, ya: str) -> None:
    assert normalise_name(f"{alef}رزون{ta} {ya}") == normalise_name("ارزونه ي")


def test_attached_article_marks_a_name_that_is_also_a_word(gaz: Gazetteer) -> None:
    places = gaz.find_places("Tall buildings collapsed in Al-Tall.")
    assert [(p.text, p.admin1) for p in places] == [("Al-Tall", "Rif Dimashq")]


def test_first_names_that_are_also_towns_need_a_place_word(gaz: Gazetteer) -> None:
    assert [p.text for p in gaz.find_places("Jasim said the shelling of Daraa went on.")] == ["Daraa"]
    (town,) = gaz.find_places("The attack on the town of Jasim killed four.")
    assert (town.admin1, town.where_prec) == ("Daraa", WherePrecision.EXACT)
