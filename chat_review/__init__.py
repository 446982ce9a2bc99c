"""chat-review: consent-gated review of WhatsApp chat exports for a school.

Kept free of heavy imports so `chat-review --help` starts instantly.
"""

__version__ = "0.1.0"
