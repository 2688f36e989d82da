"""Adaptive Card templates (JSON files in templates/) and the functions that fill them."""
