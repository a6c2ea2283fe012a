"""The adaptive interview: question banks, expressions, the engine, answers, and the
mapping of resolved answers to the integration model."""
