"""Ingestion: read CSV and JSON Lines files, bulk-load rows with rejects, export and purge.

:class:`~plataforma.ingest.bulk.BulkLoader` is the entry point for any bulk source (files,
synthetic data); :func:`~plataforma.ingest.files.import_path` wraps it for one file.
"""
