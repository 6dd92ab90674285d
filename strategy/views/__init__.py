"""Pages of the strategy under /strategie/: one function per URL, one module per feature."""
