"""RDF model: the pol: vocabulary, IRI minting, and documents as quads."""
