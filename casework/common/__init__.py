"""What several apps share: spreadsheets, PDFs, background jobs and the form-page base view."""
