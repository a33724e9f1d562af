"""The inspections app's views, one module per part: plans, records (inspections, follow-ups, discipline), cases."""
