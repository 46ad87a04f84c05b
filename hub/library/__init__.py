"""Group libraries: folders, files and their versions, storage and text extraction."""
