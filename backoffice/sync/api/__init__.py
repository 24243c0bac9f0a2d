"""The routes the tills call: enrollment, ping, download by cursor, upload, pack supplies."""
