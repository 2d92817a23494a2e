"""Documents from the records: the filled checklist, the typical case, reports, spreadsheets, PDFs."""
