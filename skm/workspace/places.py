"""Where a staff user's workspace starts: the logic lives in skm.results.places (results pages
need it and must not import the workspace); the workspace keeps importing it from here."""

from skm.results.places import Place, home_place

__all__ = ["Place", "home_place"]
