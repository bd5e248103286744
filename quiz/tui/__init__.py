"""The Textual front end. It imports the core; the core never imports it."""
