"""Research an external system from its OpenAPI description: facts, note and answers.

``load_openapi`` (:mod:`.openapi`) reads and validates the description,
``extract_research`` (:mod:`.extract`) reads its facts, ``render_note``
(:mod:`.notes`) writes them as a system's research note, ``snapshot_text``
(:mod:`.snapshot`) as the JSON snapshot beside it, ``prefill_interview``
(:mod:`.prefill`) answers the interview questions the document settles, and
``research_document`` (:mod:`.integration`) reads a document into its facts and note.
Writing them into an integration's folder is the folder's job
(:mod:`interlock.folders.integration`).
"""
