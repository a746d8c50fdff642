"""Reference VN30 market tracker: SSI FastConnect in, REST and WebSocket dashboards out."""
