"""What the pipeline knows before it reads an answer: questionnaires, regions (regios.yaml), codebooks, references.

One YAML reader with Dutch errors and one yes/no rule for every file a user edits.
"""
