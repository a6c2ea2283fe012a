"""The names of an interview's files, apart from the code that reads them.

Kept in a module of their own, importing nothing, so that code that only needs to
recognise an answers file (the validator, the workspace's file discovery) does not load
the answers model and its validation library: about 20 MB and a tenth of a second at
the start of every ``interlock validate``.
"""

INTERVIEW_FILE = "interview.yaml"
"""An integration's answers file, in its folder under ``specs/``."""

__all__ = ["INTERVIEW_FILE"]
