"""Data files of the extraction pipeline, installed as the package extractor.models."""
