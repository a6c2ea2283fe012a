"""The typed domain: the integration model (with its open questions and decisions), spec
metadata and validator findings. It imports no other Interlock package."""
