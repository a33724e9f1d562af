"""The inspections app's forms, one module per part: plans, records (inspections, follow-ups, discipline), cases."""
