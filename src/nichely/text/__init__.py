"""Text shared by every domain: language detection, normalisation, segmentation, embeddings."""
