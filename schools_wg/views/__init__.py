"""Pages of the school working group under /ag-schule/, one module per feature."""
