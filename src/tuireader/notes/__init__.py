"""Notes on claims: the Note model, re-anchoring in edited text, the YAML store, reports.

Nothing is imported here: a reader that never opens the notes does not pay for YAML.
"""
