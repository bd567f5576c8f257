"""The handover record (交接记录) as a document kind: `render_document handover PK OUT.docx`."""
