"""Evaluations: python -m evals."""
