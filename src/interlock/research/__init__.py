"""Research an external system from its OpenAPI description: facts, note and answers.

``load_openapi`` (:mod:`.openapi`) reads and validates the description,
``extract_research`` (:mod:`.extract`) reads its facts, ``render_note``
(:mod:`.notes`) writes them as the workflow's ``research.md``, ``prefill_interview``
(:mod:`.prefill`) answers the interview questions the document settles, and
``research_integration`` (:mod:`.integration`) does all of it for a workspace.
"""
