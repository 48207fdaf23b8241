"""The statement checks a civil servant sees on C1 and C2, in several languages."""

import pytest

from evaluation.criteria.statement import analyse

GLOSSARY = ["EU", "UN", "SDG", "CO2"]
SPAIN = (
    "Promote a sustainable, smart, water-efficient and climate-adapted Spanish agriculture for "
    "the 21st century."
)
EU_CITIES = (
    "By 2030, 100 European cities are climate-neutral and smart, and act as hubs so that all EU "
    "cities can follow by 2050."
)


def test_spanish_agriculture_opens_with_an_activity_and_names_no_end_state():
    result = analyse(SPAIN, glossary=GLOSSARY)
    assert result.activity_verb == "Promote"
    assert not result.has_measurable_end_state  # "21st" is an ordinal, not a quantity
    assert result.years == []


def test_eu_cities_names_a_number_of_cities_and_its_deadline():
    result = analyse(EU_CITIES, glossary=GLOSSARY)
    assert result.activity_verb == ""
    assert result.end_state == "100 European cities are climate-neutral"  # the whole phrase
    assert result.years == [2030, 2050]
    assert result.unexplained_acronyms == []  # EU is in the glossary
    assert result.language == "en"
    assert result.word_count == 22


@pytest.mark.parametrize(
    ("text", "verb"),
    [
        ("Impulsar una agricultura sostenible en España.", "Impulsar"),
        ("Fomentamos la economía circular.", "Fomentamos"),
        ("Promover la movilidad sostenible.", "Promover"),
        ("Apoyando a los municipios.", "Apoyando"),
        ("Stimuleren van gezonde leefstijl in alle gemeenten.", "Stimuleren"),
        ("Bevordert de zorg thuis.", "Bevordert"),
        ("Främja hållbar mat i skolan.", "Främja"),
        ("Stödja kommunernas arbete.", "Stödja"),
        ("Favoriser la mobilité durable.", "Favoriser"),
        ("Soutenir les villes.", "Soutenir"),
        ("Förderung der nachhaltigen Mobilität.", "Förderung"),
        ("Stärken der Gesundheit.", "Stärken"),
        ("To strengthen regional innovation.", "strengthen"),
        ("We will support cities.", "support"),
        ("Boosting green jobs.", "Boosting"),
        ("By 2030 every street is healthy.", ""),
    ],
)
def test_activity_verb_openings_in_six_languages(text, verb):
    assert analyse(text).activity_verb == verb


@pytest.mark.parametrize(
    ("text", "end_state"),
    [
        ("By 2040 the health gap is 30% smaller.", "30% smaller"),
        ("In 2030 la pobreza energética baja un 50 por ciento.", "un 50 por ciento"),
        (
            "Every street in Sweden is sustainable, healthy and full of life by 2030.",
            "Every street in Sweden is sustainable",
        ),
        ("Improve the lives of more than 3 million people by 2030.", "more than 3 million people"),
        ("Alle Kinder essen gesund.", "Alle Kinder essen gesund"),
        ("Halve dementia progression by 2030.", "Halve dementia progression"),
        ("A sustainable agriculture for the 21st century.", ""),
        ("Better mobility by 2030.", ""),
    ],
)
def test_measurable_end_state(text, end_state):
    assert analyse(text).end_state == end_state


def test_acronyms_are_unexplained_unless_in_the_glossary_or_explained_in_brackets():
    text = "The CDTI and the Agency for Innovation (AFI) back R&I (research and innovation) with NZC for EU cities, Mission II."
    result = analyse(text, glossary=GLOSSARY)
    assert result.unexplained_acronyms == ["CDTI", "NZC"]
    assert "AFI" in result.acronyms and "II" not in result.acronyms


def test_readability_uses_lix_everywhere_and_flesch_only_for_english():
    plain = analyse("By 2030 every child eats good food at school.")
    dense = analyse(SPAIN)
    swedish = analyse("Alla barn äter hållbar och god skolmat senast 2030.")
    assert plain.lix < 40 < dense.lix
    assert plain.flesch is not None and swedish.flesch is None
    assert swedish.language == "sv" and swedish.lix is not None


def test_an_empty_statement_is_reported_as_empty():
    result = analyse("   ")
    assert result.is_empty and result.lix is None and result.activity_verb == ""
