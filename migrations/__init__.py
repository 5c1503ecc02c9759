"""Alembic migrations of the bot's database (a package so ``bot.db`` finds them by path)."""
