"""PDF documents laid out with reportlab from plain data; no ORM, no Qt."""
