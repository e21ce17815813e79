"""Conversations between shoppers and the store's team (API.md 27)."""
