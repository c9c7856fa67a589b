"""aftersales: self-hosted after-sales operations for Amazon sellers."""

__version__ = "0.1.0"
