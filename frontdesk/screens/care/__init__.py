"""F12 care visits: today's round, recording a visit, the round's slip."""
