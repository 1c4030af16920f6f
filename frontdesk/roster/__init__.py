"""A center's roster brought in from its spreadsheets (issue 13): what a cell holds, read as a
clerk wrote it — or as Excel left it."""
