"""The MCP server: Interlock's interview, documents and validator for AI coding agents."""
