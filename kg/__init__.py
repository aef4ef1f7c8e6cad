"""coopkg: knowledge graphs of institutional cooperation from press releases."""

__version__ = "0.1.0"
