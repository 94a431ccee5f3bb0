import pytest

from tawthiq.extract.attribution import (
    WITNESS,
    SourceRegistry,
    find_attribution,
    find_caveat,
    is_witness_speech,
    starts_with_pronoun_speaker,
)

SOHR = "Syrian Observatory for Human Rights"


@pytest.mark.parametrize(
    "sentence",
    [
        "At least 40 people died, according to the UK-based Syrian Observatory for Human Rights.",
        "The Syrian Observatory said 40 people had died in the raids.",
        "Forty people died in the raids, the Observatory reported.",
        "قتل 40 شخصاً بحسب المرصد السوري لحقوق الإنسان.",
    ],
)
def test_attribution_maps_every_wording_to_one_canonical_source(sentence: str) -> None:
    assert find_attribution(sentence) == SOHR


def test_a_name_without_a_reporting_construction_is_not_an_attribution() -> None:
    assert find_attribution("Forty people died near the office of the SOHR founder.") is None
    assert find_attribution("Forty people died in the raids.") is None


def test_registry_knows_types_and_acronyms_case_sensitively() -> None:
    registry = SourceRegistry.load()
    found = registry.find("SNHR and the un-named group")
    assert [k.name for k, _, _ in found] == ["Syrian Network for Human Rights"]
    assert str(registry.get("snhr").type) == "ngo"  # type: ignore[union-attr]


def test_pronoun_speakers_and_witnesses() -> None:
    assert starts_with_pronoun_speaker("It identified 300 victims.")
    assert not starts_with_pronoun_speaker("Gunmen identified 300 victims.")
    assert is_witness_speech("“They took my brother,” she said.")
    assert WITNESS == "witness"


@pytest.mark.parametrize(
    ("sentence", "key"),
    [
        ("The newspaper was unable to independently verify the footage.", "not_independently_verified"),
        ("Reuters could not confirm the toll.", "not_independently_verified"),
        ("How the men died was not immediately clear.", "circumstances_unclear"),
        ("The network published a preliminary toll.", "preliminary"),
        ("لم يتسن التحقق من الرواية بشكل مستقل.", "not_independently_verified"),
        ("The army confirmed the toll.", None),
    ],
)
def test_caveats(sentence: str, key: str | None) -> None:
    assert find_caveat(sentence) == key


def test_each_sentence_keeps_its_own_language() -> None:
    from tawthiq.extract.claims import sentence_language

    assert sentence_language("قتل 12 مدنياً في القصف.", "en") == "ar"
    quote = "Twelve civilians were killed in the shelling of the market, the monitor said."
    assert sentence_language(quote, "ar") == "en"
    assert sentence_language("Twelve civilians were killed.", "en") == "en"
    assert sentence_language("2025 – 12", "ar") == "ar"
