"""In-process fakes of Telegram for tests, benchmarks and `nssf-bot chat`: the recording
fake Bot API (telegram.py), its HTTP server (server.py) and the terminal simulator."""
