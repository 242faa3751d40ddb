"""Mozaïekcoach: a coach over the Platform31 magazine 'Meer bereiken met organisatienetwerken'."""

__version__ = "0.1.0"
