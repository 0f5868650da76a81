"""caseqa's web service: the JSON API and the pages, around the one analysis path.

``create_app(settings)`` in :mod:`service.app` builds the FastAPI application; ``caseqa serve`` runs it
with uvicorn. Routes are thin: analysis is :func:`analyser.analyse_document`, storage is
:class:`analyser.store.Store`, background batches are :mod:`analyser.batch`.
"""
