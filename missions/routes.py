"""The address of a mission, below which every app draws the mission's pages."""

from accounts.routes import ORG

MISSION = ORG + "missions/<slug:mission_key>/"
