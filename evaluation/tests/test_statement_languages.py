"""Statement analysis by the grammar of six languages (issue #16, item 4): activity verbs in any
position the language puts them, nominal openings, deadlines written as years or as phrases
resolved against the start year, numbers and percentages, and the whole measurable phrase."""

import pytest

from evaluation.criteria.statement import analyse, start_year_of


@pytest.mark.parametrize(
    ("language", "text", "verb"),
    [
        # English: imperative, "to", "we will", subject + modal.
        ("en", "Support at least 150 European regions to become climate resilient.", "Support"),
        ("en", "We will strengthen cancer research in every region.", "strengthen"),
        ("en", "The government will promote healthy food.", "promote"),
        ("en", "By 2030, foster green jobs in all regions.", "foster"),
        # Spanish: infinitive, first person plural, "nuestro objetivo es".
        ("es", "Impulsar una agricultura sostenible.", "Impulsar"),
        ("es", "Queremos fortalecer la investigación oncológica.", "fortalecer"),
        ("es", "Nuestro objetivo es fomentar la movilidad sostenible.", "fomentar"),
        # Dutch: verb-final after a modal, "om … te", separable "jagen … aan".
        ("nl", "Wij willen de zorg in de wijk versterken.", "versterken"),
        ("nl", "Het doel is om gezonde voeding te stimuleren.", "stimuleren"),
        ("nl", "We jagen de energietransitie in alle regio's aan.", "jagen … aan"),
        ("nl", "Bevordert de zorg thuis.", "Bevordert"),
        # Swedish: V2 after "vi ska", infinitive opening.
        ("sv", "Vi ska stärka forskningen om cancer.", "stärka"),
        ("sv", "Främja hållbar mat i skolan.", "Främja"),
        ("sv", "Sverige ska påskynda omställningen.", "påskynda"),
        # French: infinitive, "nous allons", "il s'agit de".
        ("fr", "Soutenir les villes dans leur transition.", "Soutenir"),
        ("fr", "Nous allons renforcer la recherche sur le cancer.", "renforcer"),
        ("fr", "Accélérer la décarbonation de l'industrie.", "Accélérer"),
        # German: verb-final after a modal, separable verbs, infinitive phrases as titles.
        ("de", "Wir wollen die Krebsforschung stärken.", "stärken"),
        ("de", "Wir wollen bis 2030 die Krebsforschung in ganz Deutschland stärken.", "stärken"),
        ("de", "Wir treiben die Energiewende voran.", "treiben … voran"),
        ("de", "Wir bauen die Ladeinfrastruktur bis 2030 aus.", "bauen … aus"),
        ("de", "Gesellschaftliche Resilienz, Vielfalt und Zusammenhalt stärken.", "stärken"),
        ("de", "Ziel ist es, die Forschung voranzubringen.", ""),  # after the comma: arguable
    ],
)
def test_activity_verbs_wherever_the_grammar_puts_them(language, text, verb):
    assert analyse(text, language=language).activity_verb == verb


@pytest.mark.parametrize(
    ("language", "text", "verb"),
    [
        ("de", "Stärkung der Krebsforschung in Deutschland.", "Stärkung"),
        ("de", "Förderung der nachhaltigen Mobilität.", "Förderung"),
        ("nl", "Bevordering van een gezonde leefstijl.", "Bevordering"),
        ("nl", "Versterking van de zorg in de wijk.", "Versterking"),
        ("sv", "Främjande av hållbara livsmedelssystem.", "Främjande"),
        ("es", "Fomento de la economía circular.", "Fomento"),
        ("es", "Fortalecimiento de la atención primaria.", "Fortalecimiento"),
        ("fr", "Promotion de la mobilité durable.", "Promotion"),
        ("fr", "Renforcement de la recherche.", "Renforcement"),
        ("en", "Promotion of healthy ageing.", "Promotion"),
    ],
)
def test_nominalised_activity_openings(language, text, verb):
    assert analyse(text, language=language).activity_verb == verb


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "By 2030, no child in the country lives in poverty."),
        ("es", "En 2030, ningún niño vive en la pobreza."),
        ("nl", "In 2030 leeft geen kind in armoede."),
        ("sv", "År 2030 lever inget barn i fattigdom."),
        ("fr", "D'ici 2030, aucun enfant ne vit dans la pauvreté."),
        ("de", "Bis 2045 ist Deutschland treibhausgasneutral."),
        ("de", "Deutschland ist bis 2045 klimaneutral und stärker."),  # not an activity verb
    ],
)
def test_end_states_are_not_activities(language, text):
    assert analyse(text, language=language).activity_verb == ""


@pytest.mark.parametrize(
    ("language", "text", "start", "years", "phrase"),
    [
        ("en", "By 2030, every city is climate-neutral.", 2021, [2030], ""),
        (
            "en",
            "Landing a man on the Moon and returning him safely, before this decade is out.",
            1961,
            [1969],
            "before this decade is out",
        ),
        ("en", "Every school is plastic-free by the end of the decade.", 2022, [2029], ""),
        ("en", "Eradicate smallpox within ten years.", 1967, [1977], "within ten years"),
        ("en", "Net-zero emissions by mid-century.", 2019, [2050], "by mid-century"),
        ("es", "Antes de que termine la década, todas las ciudades son neutras.", 2021, [2029], ""),
        ("es", "En diez años, ningún hogar sufre pobreza energética.", 2020, [2030], ""),
        ("es", "Para 2050, España es climáticamente neutra.", 2021, [2050], ""),
        ("nl", "Binnen tien jaar is elke wijk aardgasvrij.", 2020, [2030], "Binnen tien jaar"),
        ("nl", "In 2050 is de gebouwde omgeving CO2-vrij.", 2019, [2050], ""),
        ("sv", "Inom tio år är alla skolor fossilfria.", 2020, [2030], "Inom tio år"),
        ("sv", "Sverige har senast år 2045 inga nettoutsläpp.", 2017, [2045], ""),
        ("fr", "D'ici la fin de la décennie, toutes les villes sont neutres.", 2021, [2029], ""),
        ("fr", "D'ici dix ans, la moitié des trajets se font à vélo.", 2020, [2030], ""),
        ("de", "Bis Ende des Jahrzehnts ist jede Stadt klimaneutral.", 2021, [2029], ""),
        ("de", "Innerhalb von zehn Jahren ist jede Schule barrierefrei.", 2020, [2030], ""),
        ("de", "Bis Mitte des Jahrhunderts ist Europa klimaneutral.", 2020, [2050], ""),
    ],
)
def test_deadlines_absolute_and_relative(language, text, start, years, phrase):
    result = analyse(text, language=language, start_year=start)
    assert result.years == years
    assert result.deadline_year == years[-1]
    assert result.has_deadline
    if phrase:
        assert result.relative_deadline == phrase


def test_a_relative_deadline_without_a_start_year_is_found_but_not_resolved():
    result = analyse("Binnen tien jaar is elke wijk aardgasvrij.", language="nl")
    assert result.relative_deadline == "Binnen tien jaar"
    assert result.years == [] and result.deadline_year is None and result.has_deadline


def test_years_from_1900_count_and_a_baseline_year_is_not_the_deadline():
    result = analyse("Reduce emissions by 55% by 2030 compared with 1990.", start_year=2021)
    assert result.years == [1990, 2030] and result.deadline_year == 2030
    assert analyse("Land on the Moon by 1969.").years == [1969]


@pytest.mark.parametrize(
    ("language", "text", "end_state"),
    [
        # The whole phrase: comparator, quantity and what it counts, up to the deadline.
        ("en", "By 2030, premature cancer deaths fall to under 75 in every region.", "under 75 in every region"),
        ("en", "Support at least 150 European regions and communities by 2030.", "at least 150 European regions"),
        ("en", "At least halve the energy use of all new buildings by 2030.", "At least halve the energy use of all new buildings"),
        ("en", "Cut the cancer death rate by at least 50 percent over the next 25 years.", "at least 50 percent"),
        ("es", "Reducir en 2030 las emisiones en, al menos, un 23 % respecto del año 1990.", "un 23 %"),
        ("es", "Garantizar cobertura de 100 Mbps para el 100 % de la población.", "100 % de la población"),
        ("es", "Dos millones de hogares rehabilitados en 2030.", "Dos millones de hogares rehabilitados"),
        ("nl", "In 2040 leven alle Nederlanders ten minste vijf jaar langer in goede gezondheid.", "ten minste vijf jaar langer in goede gezondheid"),
        ("nl", "De uitstoot daalt met 49 procent in 2030.", "met 49 procent"),
        ("sv", "Utsläppen ska minska med minst 70 procent senast år 2030.", "minst 70 procent"),
        ("sv", "Fem nya vaccin godkänns före 2030.", "Fem nya vaccin godkänns"),
        ("fr", "Produire près de 2 millions de véhicules électriques à l'horizon 2030.", "près de 2 millions de véhicules électriques"),
        ("fr", "Réduire de 60 000 par an le nombre de cancers évitables.", "de 60 000 par an le nombre de cancers évitables"),
        ("de", "Die Emissionen sinken bis 2030 um mindestens 65 Prozent.", "mindestens 65 Prozent"),
        ("de", "Fünf Millionen Menschen leben gesünder bis 2030.", "Fünf Millionen Menschen leben gesünder"),
        ("de", "Die Zahl der Verkehrstoten wird bis 2030 halbiert.", "halbiert"),
    ],
)  # fmt: skip
def test_measurable_end_state_is_quoted_as_the_whole_phrase(language, text, end_state):
    assert analyse(text, language=language).end_state == end_state


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Restore our ocean and waters by 2030."),
        ("es", "Una agricultura sostenible para el siglo XXI."),
        ("nl", "Een gezond leven voor iedereen."),
        ("sv", "Hälsosam och hållbar mat."),
        ("fr", "Faire émerger des réacteurs nucléaires innovants."),
        ("de", "Krebs bekämpfen."),
    ],
)
def test_no_measurable_end_state(language, text):
    assert analyse(text, language=language).end_state == ""


def test_the_missions_language_selects_the_rules_and_blank_is_guessed():
    chosen = analyse("Wir wollen die Krebsforschung stärken.", language="de")
    guessed = analyse("Wir wollen die Krebsforschung stärken.")
    assert chosen.language == "de" and chosen.language_source == "mission"
    assert guessed.language == "de" and guessed.language_source == "guessed"
    assert guessed.activity_verb == "stärken"
    # Chosen as English, the German verb is not one of its verbs.
    assert analyse("Stärkung der Forschung.", language="en").activity_verb == ""
    assert analyse("Inom tio år är alla skolor fossilfria.").language == "sv"


def test_start_year_of_a_mission_falls_back_to_its_approval_or_mandate():
    assert start_year_of({"start_year": 2021, "approved_on": "2019-05-01"}) == 2021
    assert start_year_of({"start_year": None, "approved_on": "2019-05-01"}) == 2019
    assert start_year_of({"mandate_date": "1961-05-25"}) == 1961
    assert start_year_of({}) is None


# --- The mission's language: recorded, exchanged, passed to the analysis --------------------


@pytest.mark.django_db
def test_the_language_travels_through_the_exchange_format_and_old_files_still_import(
    organisation,
):
    import json

    from missions import exchange
    from missions.apps import DEMO_FIXTURE
    from missions.models import Mission

    document = json.loads(DEMO_FIXTURE.read_text(encoding="utf-8"))
    for mission in document["missions"]:
        mission.pop("language", None)  # a file written before the field existed
    document["missions"][0]["language"] = "nl"
    exchange.import_document(document=document, organisation=organisation)
    first = Mission.objects.get(organisation=organisation, key=document["missions"][0]["key"])
    assert first.language == "nl"
    assert set(Mission.objects.exclude(pk=first.pk).values_list("language", flat=True)) == {""}
    exported = exchange.export_document(organisation=organisation)
    assert {m["key"]: m["language"] for m in exported["missions"]}[first.key] == "nl"


@pytest.mark.django_db
def test_the_assessment_reads_the_statement_by_the_missions_language(organisation):
    from evaluation.criteria.facts import Context
    from evaluation.criteria.inputs import build_input
    from evaluation.criteria.thresholds import DEFAULTS
    from missions.tests.factories import MissionFactory

    mission = MissionFactory(
        organisation=organisation,
        statement="Binnen tien jaar is elke wijk aardgasvrij.",
        language="nl",
        start_year=1995,
        deadline_year=2005,
    )
    data = build_input(mission)
    assert data["mission"]["language"] == "nl"
    statement = Context(data, DEFAULTS).statement
    assert statement.language == "nl" and statement.language_source == "mission"
    assert statement.years == [2005] and statement.relative_deadline == "Binnen tien jaar"


def test_the_forms_offer_the_language_next_to_the_statement_and_years_from_1900():
    from missions.forms import MissionBasicsForm, MissionStartForm

    start = list(MissionStartForm.base_fields)
    assert start.index("language") == start.index("statement") + 1
    assert MissionStartForm.base_fields["deadline_year"].min_value == 1900
    basics = MissionBasicsForm.Meta.fields
    assert basics.index("language") == basics.index("statement") + 1
