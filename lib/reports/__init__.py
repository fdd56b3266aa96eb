"""Self-contained report writers (HTML summaries for dossiers)."""
