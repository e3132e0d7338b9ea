"""sladsl: SLA contracts as code.

The pipeline (see docs/architecture.md): parse -> to_ast -> check -> to_python / to_markdown.
"""

__version__ = "0.1.0"
