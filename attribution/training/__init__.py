"""Training and evaluation: the only part of the package that trains or scores against gold."""
