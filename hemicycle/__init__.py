"""Hémicycle: the workspace of groups of elected officials in French local assemblies."""

__version__ = "0.1.0"
