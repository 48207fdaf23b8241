"""The address of an organisation, below which every app draws the organisation's pages."""

ORG = "organisations/<slug:org_slug>/"
