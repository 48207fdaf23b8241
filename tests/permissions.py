"""Who may do what, URL by URL: the declared table the permission matrix (test_role_matrix.py)
checks every route of the app against.

One line per URL name: `"app:name": {"GET": <who>, "POST": <who>}`, where <who> is one of the
sets below. A new URL without a line here fails the matrix; so does a line for a URL that no
longer exists. Other methods (PUT, PATCH, DELETE) are checked too when an entry names them.

How each role is answered when it is *not* in the set (the project's convention, see the views):
anonymous visitors are sent to sign in, members of another organisation (and stewards, outside
their indicator) get 404 on any URL that names an organisation or one of its objects (any URL
with parameters), and members whose role is too low get 403.

An entry may say `"refused": 404` when even knowing the object is a right (a steward's pages):
signed-in people without it get 404 instead of 403.

`Reads(...)`: the view ignores the method and only reads, so a POST is answered like a GET; the
matrix still checks that it writes nothing. `No(...)`: the method is not accepted; those roles
get 405 (anyone else gets the usual refusal first).
"""

from __future__ import annotations

VIEWER, EDITOR, REVIEWER, LEAD, ADMIN = "viewer", "editor", "reviewer", "lead", "admin"
ANONYMOUS, OUTSIDER, STEWARD = "anonymous", "outsider", "steward"
# A member of the public signed in by an e-mailed link: they reach the public pages only, and
# every other page answers them 404.
PARTICIPANT = "participant"
MEMBER_ROLES = (VIEWER, EDITOR, REVIEWER, LEAD, ADMIN)
ALL_ROLES = (ANONYMOUS, OUTSIDER, VIEWER, EDITOR, REVIEWER, LEAD, ADMIN, STEWARD, PARTICIPANT)

VIEWER_UP = frozenset(MEMBER_ROLES)  # every member of the organisation
EDITOR_UP = frozenset({EDITOR, LEAD, ADMIN})
REVIEWER_UP = frozenset({REVIEWER, LEAD, ADMIN})
EDITOR_OR_REVIEWER = EDITOR_UP | REVIEWER_UP  # the mission team and its reviewers
LEAD_UP = frozenset({LEAD, ADMIN})
ADMIN_ONLY = frozenset({ADMIN})
SIGNED_IN = VIEWER_UP | {OUTSIDER, STEWARD}  # anyone signed in, whatever their organisation
ANYONE = SIGNED_IN | {ANONYMOUS}
PUBLIC = ANYONE | {PARTICIPANT}  # the public pages: everyone, participants too


class Reads(frozenset):
    """These roles get an answer, but the view only reads whatever the method."""


class No(frozenset):
    """The method is not accepted: these roles get 405 Method Not Allowed."""


READ = Reads(VIEWER_UP)
GET_405 = No(VIEWER_UP)  # POST-only organisation URLs: a member's GET gets 405

# URL names the matrix does not request, with the reason.
EXCLUDED = {
    "healthz": "public by design and rate-limited, answered before sign-in; "
    "tests/test_healthz.py covers who sees what",
    "accounts:oidc_start": "single sign-on is off unless OIDC is configured (404 for everyone); "
    "accounts/tests/test_security_sso.py covers it on",
    "accounts:oidc_callback": "as accounts:oidc_start",
    "canvas:workshop_join": "a workshop's link is a capability, not a role: anyone with it "
    "may add notes while it is open; canvas/tests/test_workshops.py covers who gets what",
    "evaluation:api_measurements": "the push API signs in with a steward's token, not a "
    "session; evaluation/tests/test_push_api.py covers who may push what",
}
EXCLUDED_PREFIXES = {
    "api/v1/": "the API authenticates with an organisation's token, not a session; "
    "api/tests/test_api_permissions.py covers every operation for each token role, another "
    "organisation's token and none (and the open description and documentation)",
    "admin/": "Django's admin site: active staff who passed two-factor, not organisation roles, "
    "and off with LODESTAR_ADMIN=0; tests/test_admin_access.py covers it",
}

STEWARD_ONLY = frozenset({STEWARD})

TABLE: dict[str, dict[str, frozenset | int]] = {
    # --- site and accounts ---------------------------------------------------------------
    "home": {"GET": SIGNED_IN, "POST": No(SIGNED_IN)},
    "robots": {"GET": PUBLIC, "POST": Reads(PUBLIC)},
    # The language switcher on every page, the public ones too (a POST that redirects back).
    "set_language": {"GET": No(PUBLIC), "POST": PUBLIC},
    "accounts:login": {"GET": ANYONE, "POST": ANYONE},
    "accounts:logout": {"GET": No(SIGNED_IN), "POST": SIGNED_IN},
    "accounts:password_reset": {"GET": ANYONE, "POST": ANYONE},
    "accounts:password_reset_done": {"GET": ANYONE, "POST": No(ANYONE)},
    "accounts:password_reset_confirm": {"GET": ANYONE, "POST": ANYONE},
    "accounts:password_reset_complete": {"GET": ANYONE, "POST": No(ANYONE)},
    "accounts:account": {"GET": SIGNED_IN, "POST": Reads(SIGNED_IN)},
    "accounts:password_change": {"GET": SIGNED_IN, "POST": SIGNED_IN},
    "accounts:two_factor_setup": {"GET": SIGNED_IN, "POST": SIGNED_IN},
    "accounts:two_factor_verify": {"GET": SIGNED_IN, "POST": SIGNED_IN},
    # Tried with a device that is not the visitor's: nobody may remove it.
    "accounts:two_factor_remove": {"GET": No(SIGNED_IN), "POST": frozenset(), "refused": 404},
    "accounts:organisation": {"GET": VIEWER_UP, "POST": READ},
    # --- home, search and the inbox -----------------------------------------------------------
    "workspace:search": {"GET": SIGNED_IN, "POST": Reads(SIGNED_IN)},
    "inbox:list": {"GET": SIGNED_IN, "POST": No(SIGNED_IN)},
    "inbox:mark_all_read": {"GET": No(SIGNED_IN), "POST": SIGNED_IN},
    "inbox:preferences": {"GET": SIGNED_IN, "POST": SIGNED_IN},
    # A notification answers only its recipient; the scene's belongs to someone else.
    "inbox:open": {"GET": frozenset(), "POST": No(SIGNED_IN), "refused": 404},
    # Signed links from e-mails work without signing in; the scene's token is not valid (400).
    "inbox:unsubscribe": {"GET": ANYONE, "POST": ANYONE},
    "accounts:organisation_settings": {"GET": ADMIN_ONLY, "POST": ADMIN_ONLY},
    "accounts:members": {"GET": VIEWER_UP, "POST": ADMIN_ONLY},
    "accounts:member_role": {"GET": GET_405, "POST": ADMIN_ONLY},
    "accounts:member_remove": {"GET": ADMIN_ONLY, "POST": ADMIN_ONLY},
    # --- API tokens ------------------------------------------------------------------------
    "api:tokens": {"GET": ADMIN_ONLY, "POST": ADMIN_ONLY},
    "api:token_revoke": {"GET": GET_405, "POST": ADMIN_ONLY},
    "api:webhooks": {"GET": ADMIN_ONLY, "POST": ADMIN_ONLY},
    "api:webhook": {"GET": ADMIN_ONLY, "POST": ADMIN_ONLY},
    "api:webhook_resend": {"GET": GET_405, "POST": ADMIN_ONLY},
    # --- missions --------------------------------------------------------------------------
    "missions:list": {"GET": VIEWER_UP, "POST": READ},
    "missions:start": {"GET": EDITOR_UP, "POST": EDITOR_UP},
    "missions:copy": {"GET": EDITOR_UP, "POST": EDITOR_UP},
    "missions:export": {"GET": VIEWER_UP, "POST": READ},
    "missions:import": {"GET": LEAD_UP, "POST": LEAD_UP},
    "missions:actors": {"GET": VIEWER_UP, "POST": EDITOR_UP},
    "missions:actor_edit": {"GET": EDITOR_UP, "POST": EDITOR_UP},
    "missions:overview": {"GET": VIEWER_UP, "POST": READ},
    "missions:edit_group": {"GET": EDITOR_UP, "POST": EDITOR_UP},
    "missions:transition": {"GET": GET_405, "POST": EDITOR_UP},  # tried with "propose"
    "missions:archive": {"GET": GET_405, "POST": LEAD_UP},
    "missions:delete": {"GET": EDITOR_UP, "POST": EDITOR_UP},  # a draft
    "missions:mission_export": {"GET": VIEWER_UP, "POST": READ},
    "missions:targets": {"GET": VIEWER_UP, "POST": EDITOR_UP},
    "missions:target_edit": {"GET": EDITOR_UP, "POST": EDITOR_UP},
    "missions:target_delete": {"GET": GET_405, "POST": EDITOR_UP},
    "missions:milestone_add": {"GET": GET_405, "POST": EDITOR_UP},
    "missions:milestone_edit": {"GET": EDITOR_UP, "POST": EDITOR_UP},
    "missions:milestone_delete": {"GET": GET_405, "POST": EDITOR_UP},
    "missions:projects": {"GET": VIEWER_UP, "POST": EDITOR_UP},
    "missions:project_edit": {"GET": EDITOR_UP, "POST": EDITOR_UP},
    "missions:project_delete": {"GET": GET_405, "POST": EDITOR_UP},
    "missions:map": {"GET": VIEWER_UP, "POST": READ},
    "missions:history": {"GET": VIEWER_UP, "POST": READ},
    "missions:snapshots": {"GET": VIEWER_UP, "POST": EDITOR_OR_REVIEWER},
    "missions:snapshot_compare": {"GET": VIEWER_UP, "POST": READ},
    # --- documents -------------------------------------------------------------------------
    "documents:list": {"GET": VIEWER_UP, "POST": READ},
    "documents:canvas": {"GET": GET_405, "POST": VIEWER_UP},
    "documents:briefing": {"GET": GET_405, "POST": VIEWER_UP},
    "documents:briefing_note": {"GET": EDITOR_UP, "POST": EDITOR_UP},
    "documents:briefing_word": {"GET": VIEWER_UP, "POST": No(VIEWER_UP)},
    "documents:pack": {"GET": GET_405, "POST": VIEWER_UP},
    "documents:detail": {"GET": VIEWER_UP, "POST": READ},
    "documents:retry": {"GET": GET_405, "POST": VIEWER_UP},
    "documents:download": {"GET": VIEWER_UP, "POST": READ},
    "documents:word": {"GET": VIEWER_UP, "POST": No(VIEWER_UP)},
    # --- canvas ----------------------------------------------------------------------------
    "canvas:canvas": {"GET": VIEWER_UP, "POST": READ},
    "canvas:live": {"GET": VIEWER_UP, "POST": READ},
    "canvas:blank": {"GET": VIEWER_UP, "POST": READ},
    "canvas:examples": {"GET": GET_405, "POST": EDITOR_UP},
    "canvas:example_list": {"GET": SIGNED_IN, "POST": Reads(SIGNED_IN)},
    "canvas:example": {"GET": SIGNED_IN, "POST": SIGNED_IN},
    "canvas:workshop": {"GET": VIEWER_UP, "POST": READ},
    "canvas:workshop_start": {"GET": GET_405, "POST": EDITOR_UP},
    "canvas:workshop_end": {"GET": GET_405, "POST": EDITOR_UP},
    "canvas:note_sort": {"GET": GET_405, "POST": EDITOR_UP},
    "canvas:box": {"GET": VIEWER_UP, "POST": EDITOR_UP},
    "canvas:box_history": {"GET": VIEWER_UP, "POST": READ},
    "canvas:box_comments": {"GET": VIEWER_UP, "POST": EDITOR_OR_REVIEWER},
    "canvas:comment_resolve": {"GET": VIEWER_UP, "POST": EDITOR_OR_REVIEWER},
    # --- evaluation: criteria, readiness, indicators, reviews ------------------------------
    "evaluation:criteria": {"GET": VIEWER_UP, "POST": READ},
    "evaluation:criteria_status": {"GET": VIEWER_UP, "POST": READ},
    "evaluation:assess": {"GET": GET_405, "POST": EDITOR_OR_REVIEWER},
    "evaluation:criteria_summary": {"GET": VIEWER_UP, "POST": READ},
    "evaluation:gonogo": {"GET": GET_405, "POST": REVIEWER_UP},
    "evaluation:mission_readiness": {"GET": VIEWER_UP, "POST": EDITOR_UP},
    "evaluation:readiness": {"GET": EDITOR_UP, "POST": EDITOR_UP},
    "evaluation:readiness_result": {"GET": VIEWER_UP, "POST": READ},
    "evaluation:readiness_start_mission": {"GET": EDITOR_UP, "POST": EDITOR_UP},
    "evaluation:verdict": {"GET": GET_405, "POST": REVIEWER_UP},
    "evaluation:decide": {"GET": GET_405, "POST": EDITOR_OR_REVIEWER},
    "evaluation:indicators": {"GET": VIEWER_UP, "POST": EDITOR_UP},
    "evaluation:reviews": {"GET": VIEWER_UP, "POST": EDITOR_OR_REVIEWER},
    "evaluation:indicator": {"GET": VIEWER_UP, "POST": EDITOR_UP},
    "evaluation:indicator_edit": {"GET": EDITOR_UP, "POST": EDITOR_UP},
    "evaluation:measurements_import": {"GET": EDITOR_UP, "POST": EDITOR_UP},
    "evaluation:measurements_export": {"GET": VIEWER_UP, "POST": READ},
    "evaluation:measurement_correct": {"GET": EDITOR_UP, "POST": EDITOR_UP},
    "evaluation:steward_invite": {"GET": VIEWER_UP, "POST": EDITOR_UP},  # GET: back to the page
    "evaluation:steward_revoke": {"GET": GET_405, "POST": EDITOR_UP},
    # --- a steward's own pages: outside the organisation's addresses ----------------------
    "evaluation:stewarding": {"GET": SIGNED_IN, "POST": Reads(SIGNED_IN)},  # their own list
    "evaluation:push_tokens": {"GET": STEWARD_ONLY, "POST": STEWARD_ONLY, "refused": 404},
    "evaluation:push_token_revoke": {"GET": No(STEWARD_ONLY), "POST": STEWARD_ONLY, "refused": 404},
    "evaluation:steward_indicator": {"GET": STEWARD_ONLY, "POST": STEWARD_ONLY, "refused": 404},
    "evaluation:steward_import": {"GET": STEWARD_ONLY, "POST": STEWARD_ONLY, "refused": 404},
    "evaluation:steward_correct": {"GET": STEWARD_ONLY, "POST": STEWARD_ONLY, "refused": 404},
    # --- theory of change --------------------------------------------------------------------
    "evaluation:toc": {"GET": VIEWER_UP, "POST": No(VIEWER_UP)},
    "evaluation:toc_step_add": {"GET": GET_405, "POST": EDITOR_UP},
    "evaluation:toc_step_edit": {"GET": EDITOR_UP, "POST": EDITOR_UP},
    "evaluation:toc_step_delete": {"GET": EDITOR_UP, "POST": EDITOR_UP},
    "evaluation:toc_link_add": {"GET": GET_405, "POST": EDITOR_UP},
    "evaluation:toc_link_edit": {"GET": EDITOR_UP, "POST": EDITOR_UP},
    "evaluation:toc_link_delete": {"GET": EDITOR_UP, "POST": EDITOR_UP},
    # --- audit trail ---------------------------------------------------------------------------
    "audit:mission": {"GET": REVIEWER_UP, "POST": Reads(REVIEWER_UP)},
    "audit:organisation": {"GET": ADMIN_ONLY, "POST": Reads(ADMIN_ONLY)},
    # --- stakeholders ----------------------------------------------------------------------
    "stakeholders:map": {"GET": VIEWER_UP, "POST": READ},
    "stakeholders:add": {"GET": EDITOR_UP, "POST": EDITOR_UP},
    "stakeholders:actor_suggestions": {"GET": VIEWER_UP, "POST": READ},
    "stakeholders:export": {"GET": VIEWER_UP, "POST": READ},
    "stakeholders:import": {"GET": EDITOR_UP, "POST": EDITOR_UP},
    "stakeholders:reviewed": {"GET": GET_405, "POST": EDITOR_UP},
    "stakeholders:detail": {"GET": VIEWER_UP, "POST": READ},
    "stakeholders:edit": {"GET": GET_405, "POST": EDITOR_UP},
    "stakeholders:move": {"GET": GET_405, "POST": EDITOR_UP},
    "stakeholders:delete": {"GET": GET_405, "POST": EDITOR_UP},
    "stakeholders:activities": {"GET": VIEWER_UP, "POST": EDITOR_UP},
    "stakeholders:activity_delete": {"GET": GET_405, "POST": EDITOR_UP},
    "rewards:portfolio": {"GET": VIEWER_UP, "POST": READ},
    "rewards:mission": {"GET": VIEWER_UP, "POST": READ},
    "rewards:terms_edit": {"GET": EDITOR_UP, "POST": EDITOR_UP},
    "rewards:terms_delete": {"GET": GET_405, "POST": EDITOR_UP},
    "rewards:condition_add": {"GET": EDITOR_UP, "POST": EDITOR_UP},
    "rewards:condition_edit": {"GET": EDITOR_UP, "POST": EDITOR_UP},
    "rewards:condition_delete": {"GET": GET_405, "POST": EDITOR_UP},
    # --- participation: staff's side ---------------------------------------------------------
    "participation:moderation": {"GET": VIEWER_UP, "POST": READ},
    "participation:mission": {"GET": VIEWER_UP, "POST": READ},
    "participation:publish": {"GET": LEAD_UP, "POST": LEAD_UP},
    "participation:withdraw": {"GET": GET_405, "POST": LEAD_UP},
    "participation:consultation_add": {"GET": EDITOR_UP, "POST": EDITOR_UP},
    "participation:consultation": {"GET": VIEWER_UP, "POST": READ},
    "participation:consultation_edit": {"GET": EDITOR_UP, "POST": EDITOR_UP},
    "participation:consultation_csv": {"GET": VIEWER_UP, "POST": READ},
    "participation:idea": {"GET": VIEWER_UP, "POST": READ},
    "participation:idea_answer": {"GET": GET_405, "POST": EDITOR_UP},
    "participation:idea_hide": {"GET": GET_405, "POST": EDITOR_UP},
    "participation:idea_restore": {"GET": GET_405, "POST": EDITOR_UP},
    "participation:idea_ban": {"GET": GET_405, "POST": LEAD_UP},
    "participation:idea_verify": {"GET": GET_405, "POST": LEAD_UP},
    "participation:idea_project": {"GET": GET_405, "POST": EDITOR_UP},
    "participation:idea_stakeholder": {"GET": GET_405, "POST": EDITOR_UP},
    "participation:idea_canvas": {"GET": GET_405, "POST": EDITOR_UP},
    "participation:report_dismiss": {"GET": GET_405, "POST": EDITOR_UP},
    # --- the public pages: anyone; what needs a participant sends others to "Take part" ------
    "public:index": {"GET": PUBLIC, "POST": Reads(PUBLIC)},
    "public:privacy": {"GET": PUBLIC, "POST": Reads(PUBLIC)},
    "public:take_part": {"GET": PUBLIC, "POST": PUBLIC},
    "public:link_sent": {"GET": PUBLIC, "POST": Reads(PUBLIC)},
    "public:sign_in_link": {"GET": Reads(PUBLIC), "POST": Reads(PUBLIC)},
    "public:you": {"GET": PUBLIC, "POST": Reads(PUBLIC)},
    "public:your_data": {"GET": PUBLIC, "POST": Reads(PUBLIC)},
    "public:forget_me": {"GET": PUBLIC, "POST": PUBLIC},
    "public:sign_out": {"GET": No(PUBLIC), "POST": PUBLIC},
    "public:mission": {"GET": PUBLIC, "POST": Reads(PUBLIC)},
    "public:consultation": {"GET": PUBLIC, "POST": Reads(PUBLIC)},
    "public:idea_new": {"GET": PUBLIC, "POST": PUBLIC},
    "public:idea": {"GET": PUBLIC, "POST": Reads(PUBLIC)},
    "public:idea_support": {"GET": No(PUBLIC), "POST": PUBLIC},
    "public:comment": {"GET": No(PUBLIC), "POST": PUBLIC},
    "public:report": {"GET": PUBLIC, "POST": PUBLIC},
    # --- portfolios: leads and administrators only -----------------------------------------
    "portfolios:dashboard": {"GET": LEAD_UP, "POST": Reads(LEAD_UP)},
    "portfolios:portfolios": {"GET": LEAD_UP, "POST": LEAD_UP},
    "portfolios:portfolio_edit": {"GET": LEAD_UP, "POST": LEAD_UP},
    "portfolios:portfolio_add": {"GET": GET_405, "POST": LEAD_UP},
    "portfolios:facets": {"GET": LEAD_UP, "POST": Reads(LEAD_UP)},
    "portfolios:facet_edit": {"GET": LEAD_UP, "POST": LEAD_UP},
    "portfolios:initiative_add": {"GET": LEAD_UP, "POST": LEAD_UP},
    "portfolios:initiative_edit": {"GET": LEAD_UP, "POST": LEAD_UP},
    "portfolios:compare": {"GET": LEAD_UP, "POST": Reads(LEAD_UP)},
    "portfolios:overlap": {"GET": LEAD_UP, "POST": Reads(LEAD_UP)},
    "portfolios:decisions": {"GET": LEAD_UP, "POST": Reads(LEAD_UP)},
    "portfolios:decide": {"GET": LEAD_UP, "POST": LEAD_UP},
}
