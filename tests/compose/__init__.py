"""docker compose up, tested on an engine of the matrix."""
