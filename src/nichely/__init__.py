"""Nichely: a self-hostable lifestyle-commerce platform built around people."""

__version__ = "0.1.0"
