import pytest

from tawthiq.extract.roles import actors_in, community_of, describes_violence, event_type_of, outcome_of, population_of
from tawthiq.model import Outcome, Population


def _at(sentence: str, figure: str) -> tuple[int, int]:
    start = sentence.index(figure)
    return start, start + len(figure)


@pytest.mark.parametrize(
    ("sentence", "figure", "outcome", "population"),
    [
        ("More than 200 civilians were killed in the raids.", "More than 200", Outcome.KILLED, Population.CIVILIANS),
        ("Gunmen wounded 14 people at the market.", "14", Outcome.INJURED, Population.TOTAL),
        ("Police arrested 30 men after the protest.", "30", Outcome.DETAINED, Population.MEN),
        ("Twelve children remain missing.", "Twelve", Outcome.MISSING, Population.CHILDREN),
        ("The toll stood at 90, with 12 from the security forces.", "12", Outcome.KILLED, Population.SECURITY_FORCES),
        ("أسفر القصف عن مقتل 12 مدنياً.", "12", Outcome.KILLED, Population.CIVILIANS),
    ],
)
def test_outcome_and_population(sentence: str, figure: str, outcome: Outcome, population: Population) -> None:
    start, end = _at(sentence, figure)
    assert outcome_of(sentence, start, end) == outcome
    assert population_of(sentence, start, end) == population


def test_a_number_with_no_outcome_word_is_no_casualty() -> None:
    sentence = "He addressed 300 commanders in the capital."
    assert outcome_of(sentence, *_at(sentence, "300")) is None


def test_mixed_soldiers_and_fighters_are_combatants() -> None:
    sentence = "Hundreds of soldiers and fighters were also killed in clashes."
    assert population_of(sentence, *_at(sentence, "Hundreds of")) == Population.COMBATANTS


def test_community_comes_from_the_people_counted_not_the_perpetrators() -> None:
    victims = "Over 900 civilians, mostly Druze, were killed."
    assert community_of(victims, *_at(victims, "Over 900")) == "Druze"


def test_actors_with_roles() -> None:
    actors = actors_in("Gunmen loyal to the former government attacked security forces near the port.")
    roles = {a.name: a.role for a in actors}
    assert roles["Security forces"] == "target"
    assert roles["Unidentified armed men"] == "perpetrator"
    killed_by = {a.name: a.role for a in actors_in("Two farmers were killed by government forces.")}
    assert killed_by == {"Government forces": "perpetrator"}


def test_event_type_and_violence() -> None:
    assert event_type_of("An air strike hit the village.") == "Explosions/Remote violence"
    assert event_type_of("Gunmen executed three men.") == "Violence against civilians"
    assert describes_violence("They shot him at the door.")
    assert not describes_violence("The committee met on Monday.")
