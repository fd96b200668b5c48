"""Hostile input (issue 7): the corpus in tests/data/hostile and what each file must produce."""
