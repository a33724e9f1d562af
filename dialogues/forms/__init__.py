"""The dialogues app's forms, one module per part: dialogues (and commitments), cases."""
