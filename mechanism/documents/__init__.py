"""Official documents as .docx in the GB/T 9704-2012 layout: the builder, and the registry of kinds every app
adds its documents to (render_document, the admin downloads and the background job all go through it)."""
