"""OCR: find the card in a photo, read it with PP-OCR and Tesseract, measure its quality."""

import os

# libtesseract runs OpenMP threads, which fight with the pipeline's own parallel reads and with
# Celery's other processes. libgomp reads the limit once, when it is loaded (importing
# ``tesserocr`` loads it), so it is set before any module of this package is imported.
os.environ["OMP_THREAD_LIMIT"] = "1"
