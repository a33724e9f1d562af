"""The dialogues app's views, one module per part: dialogues (and commitments), cases."""
