"""The adaptive interview: question banks, expressions, the engine and answers."""
