"""Texts members and coordinators read, Dutch (nl-BE) first and English second."""
