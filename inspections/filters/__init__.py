"""The inspections app's filters, one module per part: plans, records (inspections, follow-ups, discipline), cases."""
