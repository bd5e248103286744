"""The command line: parsing, one module per group of commands, start-up and hang-up handling."""
