"""Bytes on disk, below everything that keeps files: written whole, read safely, sealed."""
