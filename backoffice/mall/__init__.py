"""The mall: buying a paid pack over HTTP (K4) and what a buyer sees of it (K11)."""
