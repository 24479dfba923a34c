"""The documents' content as plain frozen dataclasses, filled from the database by loaders.

reports/ lays them out as PDFs; nothing here knows about pages or fonts. Requests
(facilitator.documents.requests) name what to load; `load_document` loads any of them.
"""
