"""The inspections app's tables, one module per part: plans, records (inspections, follow-ups, discipline), cases."""
