"""Reports built from the indicator registry: ward quarterly reports (this package's models),
the leadership dashboard and the term report. It never imports a domain app: every figure comes
through :mod:`longbien.indicators`."""
