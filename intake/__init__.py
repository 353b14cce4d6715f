"""Intake: from a pasted article to reviewed draft statements and events.

An editor pastes an article's text in the admin ("New from article") with its URL, outlet,
author, date and language. The rules in extract.py (no model, no network: dictionaries in
data/) propose the source, every quoted passage with its likely speaker, reported speech as
paraphrases, dates resolved against the article's date at an honest precision, the treaties
and topics each passage mentions, events with their dates, and unknown speakers as new
actors. On one review screen the editor accepts, edits or rejects each proposal (htmx, one
row at a time); accepted rows become drafts linked to the source, with the passage's
character offsets kept. Nothing is published until the editor presses "Publish".
"""
