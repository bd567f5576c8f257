"""The annual work summary (年度工作总结) as a document kind: `render_document summary PK OUT.docx`."""
