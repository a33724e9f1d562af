"""The dialogues app's tables, one module per part: dialogues (and commitments), cases."""
