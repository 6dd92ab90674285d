"""The page "Letzte Änderungen": every recorded change of every audited model, newest first."""
