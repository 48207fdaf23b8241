"""The exchange format `lodestar.missions/1`: export missions to JSON and import them back.

A document holds an organisation's actors and grand challenges, and its missions; each mission
carries its core fields plus one entry per registered *section* (`targets`, `projects`, and
whatever later apps register). Everything refers to everything else by stable keys, so
importing the same file again updates in place and never duplicates. See
docs/exchange-format.md and missions/schema/lodestar.missions-1.schema.json.

Growing the format: an app registers a `Section` in its `AppConfig.ready()`:

    exchange.register_section(exchange.Section(
        name="canvas", export=..., validate=..., load=...), order=200)

Sections are optional on import (absent = leave that part as it is), so adding one keeps the
format at version 1. Entry points: `export_document`, `dumps`, `parse`, `read_file`,
`validate_document`, `import_document`, `import_file`.

Importing is all or nothing: the whole document is checked first, every problem is reported
with its JSON path (`missions[2].targets[0].target_year: ...`), and nothing is written unless
there are none; then everything is written in one transaction.

One module per job, each importing only those before it:

- `results`: a problem at a path, a refused document, what an import did;
- `reading`: `FieldSpec` and the typed reader every section reads its part with;
- `bulk`: writing rows set-based, with the audit entries their saves would have recorded;
- `registry`: the format's name, the ordered sections and the helpers loaders write through;
- `writing`: exporting missions and documents;
- `core_sections`: the `targets` and `projects` sections;
- `checking`: reading a whole document into a plan, or every problem in it;
- `importing`: writing a checked document, and reading files.

Import from `missions.exchange`: every name other apps use is here.
"""

from missions.exchange import core_sections
from missions.exchange.checking import (
    ACTOR_SPECS,
    CHALLENGE_SPECS,
    MISSION_SPECS,
    TOP_LEVEL,
    ImportPlan,
    check_document,
    validate_document,
)
from missions.exchange.core_sections import (
    CONTRIBUTION_SPECS,
    MILESTONE_SPECS,
    PROJECT_SPECS,
    TARGET_SPECS,
    export_projects,
    export_targets,
    load_projects,
    load_targets,
    validate_projects,
    validate_targets,
)
from missions.exchange.importing import (
    DEFAULT_MAX_BYTES,
    import_document,
    import_file,
    max_import_bytes,
    parse,
    read_file,
    too_big,
)
from missions.exchange.reading import (
    KEY_RE,
    MISSING,
    MONEY,
    FieldSpec,
    not_a_choice,
    problems_at,
    read_items,
    read_list,
    read_object,
    report_duplicates,
    type_error,
    unknown_actor,
    unknown_target,
)
from missions.exchange.registry import (
    FORMAT,
    Section,
    SectionContext,
    _sections,
    delete_missing,
    register_section,
    save_if_changed,
    sections,
)
from missions.exchange.results import ExchangeError, ImportRejected, ImportSummary, counted
from missions.exchange.writing import dumps, export_document, export_mission, iso_date, number_text

__all__ = [
    "ACTOR_SPECS",
    "CHALLENGE_SPECS",
    "CONTRIBUTION_SPECS",
    "DEFAULT_MAX_BYTES",
    "FORMAT",
    "KEY_RE",
    "MILESTONE_SPECS",
    "MISSING",
    "MISSION_SPECS",
    "MONEY",
    "PROJECT_SPECS",
    "TARGET_SPECS",
    "TOP_LEVEL",
    "ExchangeError",
    "FieldSpec",
    "ImportPlan",
    "ImportRejected",
    "ImportSummary",
    "Section",
    "SectionContext",
    "_sections",
    "check_document",
    "core_sections",
    "counted",
    "delete_missing",
    "dumps",
    "export_document",
    "export_mission",
    "export_projects",
    "export_targets",
    "import_document",
    "import_file",
    "iso_date",
    "load_projects",
    "load_targets",
    "max_import_bytes",
    "not_a_choice",
    "number_text",
    "parse",
    "problems_at",
    "read_file",
    "read_items",
    "read_list",
    "read_object",
    "register_section",
    "report_duplicates",
    "save_if_changed",
    "sections",
    "too_big",
    "type_error",
    "unknown_actor",
    "unknown_target",
    "validate_document",
    "validate_projects",
    "validate_targets",
]
