"""Telegram I/O, durable both ways.

- inbox.py, runner.py, webhook.py: updates are stored before Telegram is told they
  arrived, then handled in order;
- outbox.py, sender.py: everything the bot sends is written to the outbox in the
  handler's transaction and delivered with per-chat, per-group and global pacing;
- render.py: a service's Reply as Bot API parameters.
"""
