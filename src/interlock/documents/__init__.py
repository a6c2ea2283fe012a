"""Parsing Markdown spec documents: front matter, section tree, tables, task lists."""

from interlock.documents.model import Document, DocumentKind
from interlock.documents.parser import load_document, parse_document

__all__ = ["Document", "DocumentKind", "load_document", "parse_document"]
