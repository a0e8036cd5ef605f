"""Textual widgets: thin views over the core's plain data."""
