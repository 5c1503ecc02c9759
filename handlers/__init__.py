"""Thin python-telegram-bot adapters, one module per audience; wired in bot/app.py."""
