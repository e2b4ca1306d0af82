"""The text layer: bytes to Document (loading, structure, sentences, search folding)."""
