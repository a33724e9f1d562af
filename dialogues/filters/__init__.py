"""The dialogues app's filters, one module per part: dialogues (and commitments), cases."""
