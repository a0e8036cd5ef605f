"""Screens pushed over the main reader."""
