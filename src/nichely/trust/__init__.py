"""Authenticity (trust): detectors for deceptive and machine-written notes, and their benchmark."""
